-- What a member of this node set up, changed or cancelled on a partner's board (a team homed
-- elsewhere) and sent to its home node: 送信待ち until the home node answers, then gone when it took
-- it (the meeting as every node keeps it comes back in the team's events), or kept as refused with
-- the home node's stable code, so her screen says it could not be sent and why, never 送信待ち forever.
-- Keyed by the notice the event carries (each submission has its own).
create table meeting_submissions (
  notice_id    text primary key,
  meeting_id   text not null,
  board_id     text not null,
  user_id      text not null,
  action       text not null check (action in ('scheduled', 'changed', 'cancelled')),
  title        text not null,
  state        text not null check (state in ('pending', 'refused')),
  code         text,
  submitted_at text not null,
  settled_at   text
) strict;
create index meeting_submissions_by_board on meeting_submissions (board_id, user_id);
