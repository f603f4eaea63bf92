-- A gateway's minute of readings wrote some 60 pages: the readings were keyed by (device, sequence), so each
-- of a batch's ~50 devices had its newest leaf page of its own, and the household/time index added one a
-- household. Readings are now keyed by the minute of their time first, then the device and its sequence:
-- a batch's readings of a minute lie side by side (a page or two), and the retention sweep deletes the
-- oldest minutes from the table's start. Which sequences of a device are stored, the idempotency of
-- (device, sequence) that the old key gave, is kept exactly by the runs of sequences below: one row a
-- device while its sequences come without a gap, next to its neighbours' rows.
create table sensor_readings_by_minute (
  minute            integer not null,
  device_key        integer not null,
  sequence          integer not null,
  household_key     integer not null,
  at_ms             integer not null,
  kind              integer not null check (kind in (0, 1, 2)),
  temp_deci         integer,
  humidity_deci     integer,
  battery           integer,
  received_after_s  integer not null,
  primary key (minute, device_key, sequence)
) strict, without rowid;

insert into sensor_readings_by_minute (minute, device_key, sequence, household_key, at_ms, kind, temp_deci,
    humidity_deci, battery, received_after_s)
  select at_ms / 60000, device_key, sequence, household_key, at_ms, kind, temp_deci, humidity_deci, battery,
    received_after_s
  from sensor_readings order by at_ms / 60000, device_key, sequence;

-- The sequences a device has stored, as runs without a gap: first_seq to last_seq, and the newest time
-- among them (a run whose newest reading is past the retention period is dropped with its readings).
create table sensor_sequence_runs (
  device_key  integer not null,
  first_seq   integer not null,
  last_seq    integer not null,
  last_at_ms  integer not null,
  primary key (device_key, first_seq)
) strict, without rowid;

insert into sensor_sequence_runs (device_key, first_seq, last_seq, last_at_ms)
  select device_key, min(sequence), max(sequence), max(at_ms)
  from (select device_key, sequence, at_ms,
          sequence - row_number() over (partition by device_key order by sequence) as run
        from sensor_readings)
  group by device_key, run;

-- Every household's last door event among its readings, kept where the rules' timer looks: it no longer
-- walks back through a household's readings, which are no longer indexed by household.
insert into sensor_household_activity (household_id, last_door_ms)
  select k.household_id, max(r.at_ms) from sensor_readings r join sensor_household_keys k on k.key = r.household_key
  where r.kind < 2 group by k.household_id
  on conflict (household_id) do update set last_door_ms = max(last_door_ms, excluded.last_door_ms);

drop table sensor_readings;
alter table sensor_readings_by_minute rename to sensor_readings;
