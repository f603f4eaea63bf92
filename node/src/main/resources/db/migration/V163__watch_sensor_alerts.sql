-- みまもりセンサー: the 見守りセンター role, the consent scans, the alerts the rules raise and each
-- step taken on them.

-- The call centre's operators (見守りセンター) are accounts of no facility, created by 行政. SQLite
-- cannot alter a CHECK constraint, and rebuilding users would rewrite every table that references
-- it; SQLite documents this edit of the stored schema for changing a CHECK constraint (ALTER TABLE,
-- "making other kinds of table schema changes"). The constraint only widens: every stored row
-- still satisfies it.
pragma writable_schema = on;
update sqlite_schema
   set sql = replace(sql, '''emergency_responder'', ''node_operator'')',
                          '''emergency_responder'', ''node_operator'', ''watch_centre'')')
 where type = 'table' and name = 'users';
pragma writable_schema = off;

-- The consent form's scan (PDF or image), stored by content hash beside the database like any
-- attachment; a household names it in consent_scan_id.
create table sensor_consent_scans (
  id           text primary key,
  sha256       text not null,
  media_type   text not null,
  file_name    text not null,
  size         integer not null,
  uploaded_by  text not null references users (id),
  uploaded_at  text not null
) strict;

-- Per-household thresholds beside no_activity_hours (which overrides the time-of-day default):
-- heat risk when the room is at or over both heat values, cold when at or under cold_temp.
create table sensor_household_rules (
  household_id        text primary key references sensor_households (id),
  heat_temp_deci      integer not null,
  heat_humidity_deci  integer not null,
  cold_temp_deci      integer not null
) strict;

-- A household's last door event, kept as readings arrive, so the timer's look at every household is one
-- row each (finding it among the readings would walk back past every climate reading since).
create table sensor_household_activity (
  household_id  text primary key references sensor_households (id),
  last_door_ms  integer not null
) strict, without rowid;

-- An alert: one per episode of a rule for a household (or a gateway, for a silent gateway). The
-- call centre works the household ones; 行政 the machine ones (audience 'staff'). state: raised
-- (発生), in_progress (対応中), escalated, resolved (解決, with the reason).
create table sensor_alerts (
  id             text primary key,
  household_id   text references sensor_households (id),
  gateway_id     text references sensor_gateways (id),
  device_id      text,
  kind           text not null check (kind in
                   ('no_activity', 'heat', 'cold', 'device_silent', 'gateway_silent', 'low_battery')),
  audience       text not null check (audience in ('call_centre', 'staff')),
  state          text not null check (state in ('raised', 'in_progress', 'escalated', 'resolved')),
  raised_ms      integer not null,
  detail         text not null,
  acknowledged_ms integer,
  escalated_ms   integer,
  resolved_ms    integer,
  resolution     text,
  check (household_id is not null or gateway_id is not null)
) strict;
-- One open episode per rule and subject: a second reading of the same episode finds this row.
create unique index sensor_alerts_open_episode on sensor_alerts
  (coalesce(household_id, ''), coalesce(gateway_id, ''), coalesce(device_id, ''), kind) where state <> 'resolved';
create index sensor_alerts_household on sensor_alerts (household_id, raised_ms);
create index sensor_alerts_state on sensor_alerts (state, raised_ms);

-- Every step on an alert, in order: raised, a door event while it was open, each call and its
-- outcome, escalation, a visit's result, resolution. actor is a user id or 'rules'.
create table sensor_alert_steps (
  alert_id  text not null references sensor_alerts (id),
  ordinal   integer not null,
  at_ms     integer not null,
  actor     text not null,
  step      text not null,
  outcome   text,
  note      text not null,
  primary key (alert_id, ordinal)
) strict;
