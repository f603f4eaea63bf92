-- This node's writes to boards homed elsewhere whose origin signature is still to be made (issue 25,
-- item 2): the write's transaction puts the event in sync_outbox with an empty envelope and, here, its
-- canonical JSON; the signing thread signs it and stores the envelope in a later transaction that
-- deletes the row here. The outbox is sent only up to its first unsigned write, so a write is never
-- sent before its signed form is durable (nor after a later one); a restart signs what is left here.
create table sync_outbox_unsigned (
  event_id text primary key,
  event    text not null
) strict, without rowid;
