-- Partner nodes' resources introduced on a referral sheet (issue 7). They live in the partner's
-- database, not in resources, so each is recorded by its node and id, with the sheet's lines as
-- they were when the referral was made: the sheet still reads the same after the partner's copy
-- changes, or after the agreement that showed it ends. Positions follow the referral's own
-- resources (referral_items) on the sheet.
create table referral_partner_items (
  referral_id text not null references referrals (id) on delete cascade,
  position    integer not null,
  node        text not null,
  resource_id text not null,
  name        text not null,
  facts       text not null check (json_valid(facts) and json_type(facts) = 'array'),
  primary key (referral_id, position)
) strict;
create index referral_partner_items_resource on referral_partner_items (node, resource_id);
