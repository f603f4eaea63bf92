-- 要援護者台帳 (disaster-assistance register). Every uploaded file is an import; it changes nothing
-- until staff confirm it, and then becomes the next version. The rows of every import are kept, so
-- each version of the register can be read again (history) and a new file is compared with the
-- current version before it is confirmed.
create table disaster_register_imports (
  id           text primary key,
  status       text not null check (status in ('pending', 'confirmed', 'superseded', 'discarded')),
  version      integer unique,
  base_version integer,
  row_count    integer not null,
  uploaded_by  text not null references users (id),
  uploaded_at  text not null,
  confirmed_by text references users (id),
  confirmed_at text
) strict;
create index disaster_register_imports_status on disaster_register_imports (status, uploaded_at);

-- One person of one import. person_key is the ふりがな (katakana, no spaces) and the birth date: the
-- same person across versions, and the one-person-per-file rule.
create table disaster_register_people (
  import_id         text not null references disaster_register_imports (id),
  person_key        text not null,
  name              text not null,
  kana              text not null,
  birth_date        text not null,
  sex               text not null check (sex in ('male', 'female', 'other')),
  address           text not null,
  municipality_code text not null,
  district          text not null,
  phone             text not null,
  reasons           text not null,
  care_level        text not null,
  supporter_name    text not null,
  supporter_contact text not null,
  consent           integer not null check (consent in (0, 1)),
  plan              integer not null check (plan in (0, 1)),
  evacuation_site   text not null,
  latitude          real not null,
  longitude         real not null,
  approximate       integer not null check (approximate in (0, 1)),
  primary key (import_id, person_key)
) strict;
create index disaster_register_people_district on disaster_register_people (import_id, district);

-- A proposed match of a register person with a registered patient (same kana and birth date),
-- decided by staff; never merged by itself. Kept by person_key, so a decision holds across versions.
create table disaster_register_matches (
  id               text primary key,
  person_key       text not null,
  patient_id       text not null,
  address_matches  integer not null check (address_matches in (0, 1)),
  status           text not null check (status in ('proposed', 'confirmed', 'rejected')),
  proposed_at      text not null,
  decided_by       text references users (id),
  decided_at       text,
  unique (person_key, patient_id)
) strict;

-- A declared disaster (災害モード). At most one is open (ended_at null) at a time.
create table disaster_declarations (
  id          text primary key,
  kind        text not null,
  districts   text not null,
  started_at  text not null,
  declared_by text not null references users (id),
  declared_at text not null,
  ended_by    text references users (id),
  ended_at    text
) strict;
create unique index disaster_declarations_open on disaster_declarations ((ended_at is null)) where ended_at is null;
