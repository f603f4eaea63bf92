-- A partner node of a resident's care team has no readings (they stay on the household's home node),
-- so its センサー tab shows the summary the home node sends as team event sensors.status.summarised:
-- monitored or not, the last door event, the open alerts and how far each has gone.

-- On the home node: what was last sent for a household, so that a summary goes out only on a change.
create table sensor_status_sent (
  household_id  text primary key references sensor_households (id),
  summary       text not null,
  sent_ms       integer not null
) strict;

-- On a partner node: the newest summary its copy of the board received.
create table sensor_partner_status (
  patient_id   text primary key,
  summary      text not null,
  issued_at    text not null,
  event_id     text not null
) strict;

-- On a partner node: an alert the home node escalated, for this node's care managers of the team. The
-- summary is applied inside the team sync's transaction, where no mail can be sent, so the rules'
-- timer mails them and marks the row; one row per alert, so a repeated summary mails nobody twice.
create table sensor_partner_mails (
  alert_id    text primary key,
  patient_id  text not null,
  kind        text not null,
  escalated_ms integer not null,
  queued_at   text not null,
  mailed_at   text
) strict;
create index sensor_partner_mails_waiting on sensor_partner_mails (mailed_at) where mailed_at is null;
