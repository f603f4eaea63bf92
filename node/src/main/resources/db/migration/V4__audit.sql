-- The append-only, hash-chained audit log. Each row's hash covers the previous row's hash and its
-- own fields, so any modification, deletion or insertion breaks the chain from that row on
-- (AuditChainVerifier finds the first broken link). The triggers stop the node itself, or a
-- careless operator, from changing history through SQL; the chain catches anyone who drops them.
create table audit_log (
  seq        integer primary key,
  at         text not null,
  actor      text not null,
  action     text not null,
  target     text not null,
  outcome    text not null,
  detail     text not null,
  prev_hash  text not null,
  hash       text not null
) strict;

create trigger audit_log_no_update before update on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end;

create trigger audit_log_no_delete before delete on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end;
