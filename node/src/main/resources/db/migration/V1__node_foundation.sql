-- Facts about this node that must survive restarts (first start time, installed version, …).
create table node_meta (
  key        text primary key,
  value      text not null,
  updated_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) strict;
