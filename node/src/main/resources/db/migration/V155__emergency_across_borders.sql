-- Emergency access across municipal borders (救急情報連携, scope emergency-access).

-- The home node's side: every signed request a partner made for its responder, by its request id,
-- so the same signed request sent again (a replay) is refused. Kept beyond the clock window in which
-- a request is accepted at all, so a replay is caught for as long as its signature could pass.
create table emergency_partner_requests (
  request_id  text primary key,
  node        text not null,
  received_at text not null
) strict;
create index emergency_partner_requests_by_time on emergency_partner_requests (received_at);

-- The responder's side: an access this node's responder opened on a partner's patient. The view
-- itself stays on the home node; this keeps who opened whose record there, why, and until when.
create table emergency_partner_accesses (
  id               text primary key,
  responder_id     text not null references users (id),
  node             text not null,
  remote_access_id text not null,
  patient_id       text not null,
  reason           text not null,
  dispatch_number  text not null,
  opened_at        text not null,
  expires_at       text not null
) strict;
create index emergency_partner_accesses_by_responder on emergency_partner_accesses (responder_id, opened_at);
