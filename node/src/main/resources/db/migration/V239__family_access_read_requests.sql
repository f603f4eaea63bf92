-- The ids of the access-read requests a home node sent here: each is answered once, a copy sent again
-- is refused (family.access_reads_replayed).
create table family_access_read_requests (
  request_id  text primary key,
  node        text not null,
  received_at text not null
) strict;
