-- Cross-node care teams (issue 6). The patient's home node is the authority for a team: it gives
-- every team event the board's next sequence number and keeps the signed events in team_events;
-- member nodes hold a read replica in the same care tables, fed from that log.

-- A professional of a partner node, as a member or author on this node: a shadow row whose id is
-- the federated id 'loginId@node', with no password and no certificate, so it can never log in
-- here. home_node is null for this node's own users.
alter table users add column home_node text;
alter table users add column remote_facility text;

-- A board homed elsewhere is a replica: home_node names the patient's home node. replica_state
-- 'frozen' when no active agreement covers the home node any more (nobody reads it, nothing
-- flows); purge_after is when its data is deleted (the agreement's retention period).
alter table care_boards add column home_node text;
alter table care_boards add column replica_state text check (replica_state in ('live', 'frozen'));
alter table care_boards add column frozen_at text;
alter table care_boards add column purge_after text;

-- A post written here on a replica and not yet sequenced by the home node shows as 送信待ち
-- ('pending'); one the home node refused as 'rejected'.
alter table posts add column sync_state text check (sync_state in ('pending', 'rejected'));

-- The team event log: on the home node every event of a shared board, countersigned; on a member
-- node the events applied to the replica, in order (its cursor is the highest seq).
create table team_events (
  board_id    text    not null references care_boards (id),
  seq         integer not null,
  event_id    text    not null unique,
  type        text    not null,
  origin      text    not null,
  envelope    text    not null,
  accepted_at text    not null,
  primary key (board_id, seq)
) strict, without rowid;

-- Submissions the home node refused: sent again, they get the same answer.
create table rejected_events (
  event_id    text primary key,
  origin      text not null,
  board_id    text not null,
  code        text not null,
  message     text not null,
  envelope    text not null,
  rejected_at text not null
) strict;

-- A member node's writes to replicas, signed and waiting for the home node (durable outbox).
create table sync_outbox (
  event_id        text    primary key,
  board_id        text    not null,
  home_node       text    not null,
  envelope        text    not null,
  state           text    not null check (state in ('pending', 'accepted', 'rejected')),
  attempts        integer not null,
  next_attempt_at text    not null,
  created_at      text    not null,
  settled_at      text,
  code            text
) strict;
create index sync_outbox_due on sync_outbox (home_node, state, created_at);

-- How far each partner has acknowledged each shared board (home side), for push and peer status.
create table sync_acks (
  peer      text    not null,
  board_id  text    not null references care_boards (id),
  acked_seq integer not null,
  acked_at  text    not null,
  primary key (peer, board_id)
) strict, without rowid;
