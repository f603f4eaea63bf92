-- Events this node sequenced whose signatures are still to be made (issue 25, item 2). The database
-- writer's transaction only gives an event its board's next seq: it stores the row in team_events with
-- an empty envelope and, here, what is to be signed. A worker thread then signs (the origin signature of
-- this node's own events, and the countersignature of every event) and stores the envelope in a later
-- transaction that also deletes the row here. Partners are served a board's log only up to its first
-- unsigned seq, and a partner's submission is answered only once its countersigned envelope is stored;
-- a restart signs what is left here. Ed25519 is deterministic: signing again gives the same envelope.
create table team_events_unsigned (
  board_id        text    not null,
  seq             integer not null,
  -- a partner's event as it signed it (to countersign); null for an event of this node
  origin_envelope text,
  -- an event of this node: its canonical JSON, to be signed as origin and countersigned; null for a partner's
  event           text,
  primary key (board_id, seq),
  check ((origin_envelope is null) <> (event is null))
) strict, without rowid;
