-- Wide-area resources (issue 7): the last verified listing of each partner's published resources,
-- kept exactly as the partner signed it so it can be verified again at every start. A row exists
-- only while an agreement with the resources-directory scope is active with that partner.
create table partner_resource_listings (
  node        text primary key,
  listing     text not null,
  issued_at   text not null,
  fetched_at  text not null
) strict;
