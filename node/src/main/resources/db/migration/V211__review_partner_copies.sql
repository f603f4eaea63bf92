-- Copies of a partner node's review session held here for one of this node's professionals who sits on
-- that node's panel (the wide-area union case). Only what she may see: the session as a title, the
-- cases under their labels, the materials by content hash in the partner-copies store. Deleted, files
-- and all, when the session's node says its materials were deleted.
create table review_partner_sessions (
  home_node    text not null,
  session_id   text not null,
  reviewer_id  text not null,
  title        text not null,
  starts_at    text not null,
  deadline     text not null,
  received_at  text not null,
  primary key (home_node, session_id, reviewer_id)
) strict;

create table review_partner_cases (
  home_node      text not null,
  session_id     text not null,
  reviewer_id    text not null,
  case_id        text not null,
  ordinal        integer not null,
  label          text not null,
  first_level    text not null,
  special_notes  text not null,
  primary key (home_node, session_id, reviewer_id, case_id),
  foreign key (home_node, session_id, reviewer_id) references review_partner_sessions (home_node, session_id, reviewer_id)
) strict;

create table review_partner_materials (
  id           text primary key,
  home_node    text not null,
  session_id   text not null,
  reviewer_id  text not null,
  case_id      text not null,
  material_id  text not null,
  kind         text not null,
  title        text not null,
  sha256       text not null,
  size         integer not null,
  foreign key (home_node, session_id, reviewer_id, case_id)
    references review_partner_cases (home_node, session_id, reviewer_id, case_id)
) strict;
create index review_partner_materials_reviewer on review_partner_materials (reviewer_id, home_node, session_id);
