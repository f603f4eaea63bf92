-- Team sync answers a pushed or pulled page event by event, so one bad event no longer holds back
-- the others.
-- On a member node: an event of the home node that this replica could not take (signature, content),
-- kept with its code; its seq counts as passed, so the events after it apply.
create table replica_skipped_events (
  board_id    text    not null,
  seq         integer not null,
  event_id    text,
  code        text    not null,
  message     text    not null,
  envelope    text    not null,
  skipped_at  text    not null,
  primary key (board_id, seq)
) strict;

-- On a home node: events a partner answered as rejected; shown by peers status, never sent again.
create table sync_push_rejections (
  peer        text    not null,
  board_id    text    not null,
  seq         integer not null,
  event_id    text,
  code        text    not null,
  rejected_at text    not null,
  primary key (peer, board_id, seq)
) strict;
