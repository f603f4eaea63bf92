-- A partner node's organiser records a meeting's minutes from her own node too: her submission waits
-- (送信待ち) or is refused like her other meeting submissions, so the table takes a fourth action.
-- SQLite changes a check constraint only by building the table again.
create table meeting_submissions_new (
  notice_id    text primary key,
  meeting_id   text not null,
  board_id     text not null,
  user_id      text not null,
  action       text not null check (action in ('scheduled', 'changed', 'cancelled', 'minutes')),
  title        text not null,
  state        text not null check (state in ('pending', 'refused')),
  code         text,
  submitted_at text not null,
  settled_at   text
) strict;
insert into meeting_submissions_new select notice_id, meeting_id, board_id, user_id, action, title, state, code,
  submitted_at, settled_at from meeting_submissions;
drop table meeting_submissions;
alter table meeting_submissions_new rename to meeting_submissions;
create index meeting_submissions_by_board on meeting_submissions (board_id, user_id);
