-- みまもりセンサー (watch sensors). A monitored household is enrolled by municipal staff with the
-- resident's consent; its sensors report through a gateway (the provider's server or a home
-- gateway) that the node issued a credential to. Readings are kept raw for the retention period and
-- as hourly aggregates for the life of the enrolment. Times are epoch milliseconds (integers keep a
-- reading row small: a node keeps tens of millions of them).

-- A gateway: its own Ed25519 key (the node keeps only the public half); it may write only the
-- devices registered to it.
create table sensor_gateways (
  id               text primary key,
  name             text not null,
  provider         text not null,
  public_key       text not null,
  status           text not null check (status in ('active', 'revoked')),
  rate_per_minute  integer not null,
  issued_by        text not null references users (id),
  issued_at        text not null,
  revoked_by       text references users (id),
  revoked_at       text,
  last_seen_ms     integer
) strict;

-- A monitored household: the resident is a patient of this node or a person of the 要援護者台帳
-- (person_key), or both. Withdrawal stops ingestion; readings are deleted after the retention period.
create table sensor_households (
  id                   text primary key,
  patient_id           text,
  register_person_key  text,
  resident_name        text not null,
  address              text not null,
  district             text not null,
  phone                text not null,
  status               text not null check (status in ('active', 'withdrawn')),
  consent_by           text not null,
  consent_relation     text not null,
  consent_at           text not null,
  consent_scan_id      text,
  no_activity_hours    integer,
  enrolled_by          text not null references users (id),
  enrolled_at          text not null,
  withdrawn_by         text references users (id),
  withdrawn_at         text,
  check (patient_id is not null or register_person_key is not null)
) strict;
create index sensor_households_patient on sensor_households (patient_id);

-- The family contacts the call centre phones, in order.
create table sensor_household_contacts (
  household_id  text not null references sensor_households (id),
  ordinal       integer not null,
  name          text not null,
  relation      text not null,
  phone         text not null,
  mail          text not null,
  primary key (household_id, ordinal)
) strict;

-- A sensor: its id as the provider names it, where it is, and the gateway that may report it.
create table sensor_devices (
  id            text primary key,
  household_id  text not null references sensor_households (id),
  gateway_id    text not null references sensor_gateways (id),
  place         text not null check (place in ('entrance', 'fridge', 'bathroom', 'toilet', 'room')),
  kind          text not null check (kind in ('door', 'climate')),
  last_seen_ms  integer,
  battery       integer
) strict;
create index sensor_devices_gateway on sensor_devices (gateway_id);
create index sensor_devices_household on sensor_devices (household_id);

-- One reading, idempotent per (device, sequence): a repeated batch or an out-of-order delivery
-- changes nothing. kind: 'open' / 'close' for a door, 'climate' for temperature (0.1 °C) and humidity
-- (0.1 %). Without rowid: the primary key is the row's address, one index less per reading.
create table sensor_readings (
  device_id     text not null,
  sequence      integer not null,
  household_id  text not null,
  at_ms         integer not null,
  kind          text not null check (kind in ('open', 'close', 'climate')),
  temp_deci     integer,
  humidity_deci integer,
  battery       integer,
  received_ms   integer not null,
  primary key (device_id, sequence)
) strict, without rowid;
create index sensor_readings_household_time on sensor_readings (household_id, at_ms);

-- Hourly aggregates per household, kept for the life of the enrolment (charts, area summaries).
create table sensor_hourly (
  household_id   text not null,
  hour_ms        integer not null,
  door_events    integer not null,
  climate_count  integer not null,
  temp_min_deci  integer,
  temp_max_deci  integer,
  temp_sum_deci  integer not null,
  hum_min_deci   integer,
  hum_max_deci   integer,
  hum_sum_deci   integer not null,
  primary key (household_id, hour_ms)
) strict, without rowid;
