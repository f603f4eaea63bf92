-- Live updates that a stream cut on its way (a failover, a proxy restarted, a phone asleep) can take up
-- where it stopped: every event a board's live streams are told is a row here, its id the stream's
-- event id (SSE `id:`). The row is written on the leader and reaches every instance by replication
-- with the same id, so an id read from one instance means the same on every other, and a stream opened
-- again anywhere with `Last-Event-ID` is sent the rows after it that its member may see. Kept for the
-- last 10,000 events of the node (the writer removes older rows a thousand at a time).
create table live_events (
  id         integer primary key,
  board_id   text not null,
  -- the event as streams are told it: type, what changed, and for a direct post its recipients
  event      text not null,
  written_at text not null
) strict;
create index live_events_board on live_events (board_id, id);

-- The events a write transaction added, read and emptied by the writer just before its commit (as
-- board_touches is); once the commit is durable it tells this instance's streams of them. Filled by a
-- trigger, so a leader's own writes and a follower's applied batches are told the same way: each
-- instance tells its own streams of what it has committed, and no event depends on the instance that
-- wrote it surviving until it is told. A touch table, never replicated.
create table live_event_touches (
  id integer primary key
) strict;

create trigger live_events_touch_insert after insert on live_events begin
  insert or ignore into live_event_touches (id) values (new.id);
end;
