-- Places the geocoder found, by the exact query sent: a patient's home is located each time their
-- 周辺資源 tab is opened or filtered, and the answer should survive a restart and a geocoder outage.
-- Failures are not kept, so a corrected address is looked up again.
create table geocoded_addresses (
  query      text primary key,
  latitude   real not null,
  longitude  real not null,
  label      text not null,
  found_at   text not null
) strict;
