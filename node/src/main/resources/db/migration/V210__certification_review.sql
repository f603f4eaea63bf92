-- 介護認定審査会 (care-need certification review board): the 審査会事務局 role, reviewers appointed for
-- a term, panels (合議体) with their members, sessions, cases, materials and pre-review opinions.

-- The secretariat's staff are accounts of no facility, created by 行政 or the operator; the CHECK
-- constraint only widens, as V163 did for the call centre (every stored row still satisfies it).
pragma writable_schema = on;
update sqlite_schema
   set sql = replace(sql, '''node_operator'', ''watch_centre'')',
                          '''node_operator'', ''watch_centre'', ''review_secretariat'')')
 where type = 'table' and name = 'users';
pragma writable_schema = off;

-- A reviewer (審査委員) is a professional appointed by the secretariat for a term with the
-- qualification they serve under. node_id is this node's name for its own professionals; a partner
-- node's professional (a wide-area union) is (partner node name, their user id), so no foreign key.
create table review_appointments (
  id             text primary key,
  node_id        text not null,
  user_id        text not null,
  display_name   text not null,
  qualification  text not null,
  term_from      text not null,
  term_to        text not null,
  appointed_by   text not null,
  appointed_at   text not null,
  ended_at       text,
  check (term_from <= term_to)
) strict;
create unique index review_appointments_person on review_appointments (node_id, user_id) where ended_at is null;

-- A panel (合議体), numbered as the municipality numbers them, with the quorum a session needs.
create table review_panels (
  id          text primary key,
  number      integer not null unique check (number > 0),
  name        text not null,
  quorum      integer not null check (quorum between 2 and 20),
  created_by  text not null,
  created_at  text not null
) strict;

-- Who sits on a panel and as what (合議体長, 副合議体長, 委員); one chair and one deputy at most.
create table review_panel_members (
  panel_id        text not null references review_panels (id),
  appointment_id  text not null references review_appointments (id),
  position        text not null check (position in ('chair', 'deputy', 'member')),
  added_at        text not null,
  primary key (panel_id, appointment_id)
) strict;
create unique index review_panel_one_chair on review_panel_members (panel_id) where position = 'chair';
create unique index review_panel_one_deputy on review_panel_members (panel_id) where position = 'deputy';

-- A session (審査会) of a panel: when, the deadline of 事前審査, the video link, when the materials are
-- released to reviewers, when the result was confirmed and when the case data was deleted after it.
create table review_sessions (
  id                 text primary key,
  panel_id           text not null references review_panels (id),
  starts_at          text not null,
  ends_at            text not null,
  opinion_deadline   text not null,
  video_provider     text not null,
  video_url          text not null,
  release_at         text,
  confirmed_at       text,
  purged_at          text,
  created_by         text not null,
  created_at         text not null
) strict;
create index review_sessions_panel on review_sessions (panel_id, starts_at);

-- A case (事例) on a session. The identifying columns are for the secretariat alone and are
-- emptied at deletion; the decision (二次判定) stays.
create table review_cases (
  id                text primary key,
  session_id        text not null references review_sessions (id),
  ordinal           integer not null check (ordinal > 0),
  case_number       text not null,
  applicant_name    text not null,
  applicant_address text not null,
  insured_number    text not null,
  doctor_name       text not null,
  facility_name     text not null,
  first_level       text not null,
  base_minutes      integer,
  item_scores       text not null,
  special_notes     text not null,
  second_level      text,
  second_months     integer,
  second_remarks    text,
  decided_by        text,
  decided_at        text,
  purged_at         text,
  unique (session_id, ordinal),
  unique (session_id, case_number)
) strict;

-- Materials of a case (主治医意見書, 参考資料), stored by content hash in the attachment store.
create table review_materials (
  id            text primary key,
  case_id       text not null references review_cases (id),
  kind          text not null check (kind in ('doctor_opinion', 'reference')),
  title         text not null,
  sha256        text not null,
  size          integer not null,
  uploaded_by   text not null,
  uploaded_at   text not null,
  withdrawn_at  text
) strict;
create index review_materials_case on review_materials (case_id);

-- A reviewer's 事前審査 on a case: agrees with the 一次判定, or a changed level with its reason.
create table review_opinions (
  case_id         text not null references review_cases (id),
  appointment_id  text not null references review_appointments (id),
  agrees          integer not null check (agrees in (0, 1)),
  level           text not null,
  reason          text not null,
  months          integer not null,
  comment         text not null,
  submitted_at    text not null,
  primary key (case_id, appointment_id)
) strict;
