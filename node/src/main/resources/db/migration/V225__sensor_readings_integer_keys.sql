-- Raw watch-sensor readings are the node's largest table (tens of millions of rows). Each row and its
-- time-index entry repeated the provider's text device id and the household's text id, which made a
-- reading 105-112 bytes. Readings now carry small integer keys from two lookup tables, a one-byte kind
-- and the receipt as seconds after the device's time; the existing rows are carried over.

-- The integer key of each household and device. Keys are given by triggers on the two tables, so every
-- way a household or device is written (enrolment, the demo) gets one in the same transaction.
create table sensor_household_keys (
  key           integer primary key,
  household_id  text not null unique references sensor_households (id)
) strict;

create table sensor_device_keys (
  key            integer primary key,
  device_id      text not null unique references sensor_devices (id),
  household_key  integer not null references sensor_household_keys (key)
) strict;

insert into sensor_household_keys (household_id) select id from sensor_households order by enrolled_at, id;
insert into sensor_device_keys (device_id, household_key)
  select d.id, k.key from sensor_devices d join sensor_household_keys k on k.household_id = d.household_id
  order by d.household_id, d.id;

create trigger sensor_households_keyed after insert on sensor_households
begin
  insert into sensor_household_keys (household_id) values (new.id);
end;

create trigger sensor_devices_keyed after insert on sensor_devices
begin
  insert into sensor_device_keys (device_id, household_key)
    select new.id, key from sensor_household_keys where household_id = new.household_id;
end;

-- kind: 0 a door closed, 1 a door opened, 2 a climate reading (integers 0 and 1 take no bytes in the
-- row). received_after_s: when the node received the reading, in seconds after the device's time
-- (a live reading's is one or two bytes where a time is six; a backlog's is larger, as it should be).
create table sensor_readings_keyed (
  device_key        integer not null,
  sequence          integer not null,
  household_key     integer not null,
  at_ms             integer not null,
  kind              integer not null check (kind in (0, 1, 2)),
  temp_deci         integer,
  humidity_deci     integer,
  battery           integer,
  received_after_s  integer not null,
  primary key (device_key, sequence)
) strict, without rowid;

insert into sensor_readings_keyed (device_key, sequence, household_key, at_ms, kind, temp_deci, humidity_deci,
    battery, received_after_s)
  select dk.key, r.sequence, dk.household_key, r.at_ms,
    case r.kind when 'close' then 0 when 'open' then 1 else 2 end, r.temp_deci, r.humidity_deci, r.battery,
    (r.received_ms - r.at_ms) / 1000
  from sensor_readings r join sensor_device_keys dk on dk.device_id = r.device_id
  order by dk.key, r.sequence;

drop table sensor_readings;
alter table sensor_readings_keyed rename to sensor_readings;
-- The one secondary index: a household's readings by time (its last door event, the retention sweep).
create index sensor_readings_household_time on sensor_readings (household_key, at_ms);
