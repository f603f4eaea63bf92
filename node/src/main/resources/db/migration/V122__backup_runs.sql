-- Backups (issue 18): every run of a backup, scheduled or asked for by the operator, with how it
-- ended, so that a failed scheduled backup stays visible in 'backup list' after a restart.
create table backup_runs (
  id          text primary key,
  trigger     text not null check (trigger in ('operator', 'schedule')),
  started_at  text not null,
  finished_at text not null,
  state       text not null check (state in ('succeeded', 'failed')),
  backup_name text,
  code        text,
  message     text
) strict;
create index backup_runs_recent on backup_runs (started_at);
