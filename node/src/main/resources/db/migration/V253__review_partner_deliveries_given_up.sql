-- Deliveries to partner reviewers' nodes: a third kind, the view of a session's opinions a partner
-- reviewer may see (sent whenever an opinion on the session changes), and deliveries given up. A
-- delivery the partner refuses for good (the agreement ended or no longer grants certification-review,
-- the reviewer is no professional there, the message refused as malformed) is not sent again: it keeps
-- its row with when and why it was given up, which the secretariat's session screen shows, until the
-- secretariat releases the session again or the session is deleted. SQLite cannot widen a CHECK
-- constraint in place; nothing references this table, so it is rebuilt with its rows.
create table review_partner_deliveries_new (
  partner_node  text not null,
  session_id    text not null,
  kind          text not null check (kind in ('package', 'deletion', 'opinions')),
  attempts      integer not null default 0,
  next_try_at   text not null,
  last_code     text,
  created_at    text not null,
  given_up_at   text,
  primary key (partner_node, session_id, kind)
) strict;
insert into review_partner_deliveries_new (partner_node, session_id, kind, attempts, next_try_at, last_code,
    created_at)
  select partner_node, session_id, kind, attempts, next_try_at, last_code, created_at
    from review_partner_deliveries;
drop table review_partner_deliveries;
alter table review_partner_deliveries_new rename to review_partner_deliveries;
