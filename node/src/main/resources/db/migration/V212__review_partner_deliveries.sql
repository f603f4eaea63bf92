-- Deliveries to partner reviewers' nodes that have not been confirmed yet: a materials package (due at
-- the session's release) or a deletion order (due at the purge). A row is written in the same
-- transaction as the release or the purge, so a partner node that is down when it happens is still
-- reached later: the deletion sweep sends every due row again, with a growing wait, until the partner
-- answers ok, and then the row goes.
create table review_partner_deliveries (
  partner_node  text not null,
  session_id    text not null,
  kind          text not null check (kind in ('package', 'deletion')),
  attempts      integer not null default 0,
  next_try_at   text not null,
  last_code     text,
  created_at    text not null,
  primary key (partner_node, session_id, kind)
) strict;
