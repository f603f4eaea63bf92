-- Federation hardening: what a receiving node keeps, and when a partner receives a team.

-- A partner's node receives a team's events only once one of its professionals has accepted: a
-- membership remembers whether it was ever active (an invitation declined or withdrawn shares nothing).
alter table board_members add column was_active integer not null default 0;
update board_members set was_active = 1 where status = 'active' or ended_seq is not null;
create trigger board_members_activated_on_insert after insert on board_members
  when new.status = 'active' and new.was_active = 0
begin
  update board_members set was_active = 1 where board_id = new.board_id and user_id = new.user_id;
end;
create trigger board_members_activated_on_update after update of status on board_members
  when new.status = 'active' and new.was_active = 0
begin
  update board_members set was_active = 1 where board_id = new.board_id and user_id = new.user_id;
end;

-- A refused event is remembered by its id, origin, code, hash and size, never by its content, so a
-- partner sending large refused events cannot fill the disk; how many one origin may leave a day is capped.
create table refused_events (
  event_id   text primary key,
  origin     text not null,
  board_id   text not null,
  code       text not null,
  message    text not null,
  sha256     text,
  size       integer not null,
  refused_at text not null
) strict;
create index refused_events_origin on refused_events (origin, refused_at);
insert into refused_events (event_id, origin, board_id, code, message, sha256, size, refused_at)
  select event_id, origin, board_id, code, substr(message, 1, 200), null, length(envelope), rejected_at
  from rejected_events;
drop table rejected_events;

-- Invitations of partners' professionals delivered to their nodes (home side), one row per state of
-- the membership (an offer, then perhaps its withdrawal), so each is delivered once.
create table invitation_deliveries (
  board_id     text not null,
  user_id      text not null,
  changed_at   text not null,
  delivered_at text not null,
  primary key (board_id, user_id, changed_at)
) strict, without rowid;

-- An event a replica could not take is remembered the same way: by hash and size, not content.
create table replica_skipped_events_kept (
  board_id    text    not null,
  seq         integer not null,
  event_id    text,
  code        text    not null,
  message     text    not null,
  sha256      text,
  size        integer not null,
  skipped_at  text    not null,
  primary key (board_id, seq)
) strict;
insert into replica_skipped_events_kept (board_id, seq, event_id, code, message, sha256, size, skipped_at)
  select board_id, seq, event_id, code, substr(message, 1, 200), null, length(envelope), skipped_at
  from replica_skipped_events;
drop table replica_skipped_events;
alter table replica_skipped_events_kept rename to replica_skipped_events;
