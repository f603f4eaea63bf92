-- The register's homes are placed on the map in the background (a 50,000-person file would keep an
-- upload waiting on the address search for many minutes, or hours while it hangs). An address the
-- search answered is kept here: found (its place is in geocoded_addresses) or not found (asked again
-- after 30 days). An address the search could not be asked about is not kept: it is asked again.
create table disaster_register_placements (
  address   text primary key,
  found     integer not null check (found in (0, 1)),
  tried_at  text not null
) strict;

-- The people still at their 地区's centre, by address: what the background placement works through.
create index disaster_register_people_unplaced on disaster_register_people (address) where approximate = 1;
