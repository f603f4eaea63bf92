-- Usage the demo generates so that 行政's report shows a year of figures: monthly aggregates, never
-- posts or people. A real node never writes here (only the demo's seed does), and the report says on
-- the screen when figures of this table are part of what it shows.
create table report_generated_usage (
  month        text    not null,
  municipality text    not null,
  key          text    not null,
  label        text    not null,
  count        integer not null check (count >= 0),
  primary key (month, municipality, key)
) strict, without rowid;
