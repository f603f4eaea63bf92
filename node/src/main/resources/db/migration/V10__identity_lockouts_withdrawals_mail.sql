-- Identity and access, second part (issue 4): lockouts that survive a restart, decisions on
-- withdrawal applications (利用廃止申請), and whether a decision's mails went out so municipal
-- staff can send them again.

-- Failed logins per login id (lower-cased), known or not, so neither the delay nor the lock
-- tells whether an id exists. Rows of ids that stopped failing are removed as they go stale.
create table login_failures (
  login_key        text primary key,
  failures         integer not null,
  locked_until     text,
  last_failure_at  text not null
) strict;
create index login_failures_stale on login_failures (last_failure_at);

-- Withdrawal applications gain decisions. Nothing references this table, so it is rebuilt with
-- the wider status check (SQLite cannot change a check constraint in place).
create table withdrawal_applications_v10 (
  id               text primary key,
  facility_id      text not null references facilities (id),
  reason           text not null,
  requested_by     text not null references users (id),
  requested_at     text not null,
  status           text not null check (status in ('pending', 'approved', 'rejected')),
  decision_reason  text,
  decided_by       text references users (id),
  decided_at       text,
  mail_status      text check (mail_status in ('sent', 'failed'))
) strict;
insert into withdrawal_applications_v10 (id, facility_id, reason, requested_by, requested_at, status)
  select id, facility_id, reason, requested_by, requested_at, status from withdrawal_applications;
drop table withdrawal_applications;
alter table withdrawal_applications_v10 rename to withdrawal_applications;
create index withdrawal_applications_facility on withdrawal_applications (facility_id, status);
-- At most one open application per facility.
create unique index withdrawal_applications_one_pending on withdrawal_applications (facility_id)
  where status = 'pending';

-- A withdrawn facility. users references facilities, and foreign keys stay on while migrating,
-- so the facilities table cannot be rebuilt to widen its status check: the withdrawal is
-- recorded in its own column instead (status stays what it was when the withdrawal was approved).
alter table facilities add column withdrawn_at text;

-- A decided registration remembers the administrator it created and whether its mails went out
-- ('failed' when the SMTP server refused or was unreachable; null before this version).
alter table registration_applications add column user_id text references users (id);
alter table registration_applications add column mail_status text check (mail_status in ('sent', 'failed'));
