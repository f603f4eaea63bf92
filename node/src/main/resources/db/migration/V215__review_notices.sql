-- The mails sent to a session's reviewers: the notice (date, time, video link, 事前審査 deadline) once
-- the materials are released, and the reminder before the deadline to whoever has not submitted. One
-- row per reviewer and kind, written after the mail went out, so a failed mail is tried again and a
-- sent one never twice. No case data: the rows stay after the deletion like the session itself.
create table review_notices (
  session_id      text not null references review_sessions (id),
  appointment_id  text not null references review_appointments (id),
  kind            text not null check (kind in ('notice', 'reminder')),
  sent_at         text not null,
  primary key (session_id, appointment_id, kind)
) strict;
