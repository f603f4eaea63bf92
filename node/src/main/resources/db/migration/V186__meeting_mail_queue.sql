-- A partner's copy of a meeting (team event meetings.meeting.published) is applied inside the team
-- sync's transaction, where no mail can be sent; what its own participants are to be told waits here
-- for the meetings job, which mails them and removes the row.
create table meeting_mail_queue (
  meeting_id text not null references meetings (id),
  sequence   integer not null,
  reason     text not null,
  queued_at  text not null,
  primary key (meeting_id, sequence)
) strict, without rowid;
