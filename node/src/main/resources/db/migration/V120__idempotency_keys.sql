-- Idempotency-Key of the web API's create routes: a client that retries a create (a phone on a
-- flaky network, a browser whose answer never came) sends the same key, and the node answers with
-- the first answer instead of creating twice. A row is inserted in the same transaction as the
-- create it guards, so after a crash either both are there or neither is; its answer is added once
-- the route has answered (null while unknown; answer_kept 0 for an answer that may be shown only
-- once, such as initial credentials). Rows are kept for a day (created_ms, epoch milliseconds).
create table idempotency_keys (
  scope        text    not null,
  request_key  text    not null,
  fingerprint  text    not null,
  created_ms   integer not null,
  answer_kept  integer not null default 1,
  answer_status integer,
  answer_type  text,
  answer_body  text,
  primary key (scope, request_key)
) strict, without rowid;

create index idempotency_keys_by_age on idempotency_keys (created_ms);
