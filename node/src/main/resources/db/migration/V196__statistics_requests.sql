-- The request ids of partners' statistics requests (scope statistics) this node answered or refused
-- after their signature verified: the same signed request sent again is refused as a replay.
create table statistics_requests (
  request_id  text primary key,
  node        text not null,
  received_at text not null
) strict, without rowid;
