-- ワクチン接種管理記録: the node's list of vaccines, each dose given (with its versions), the
-- adverse reactions added later, and the home-vaccination plans (希望 → 予定 → 接種済み/見送り).

create table vaccination_vaccines (
  code        text primary key,
  name_ja     text not null unique,
  position    integer not null,
  added_by    text,
  added_at    text not null
);

insert into vaccination_vaccines (code, name_ja, position, added_by, added_at) values
  ('covid19', 'COVID-19', 1, null, '2026-01-01T00:00:00Z'),
  ('influenza', 'インフルエンザ', 2, null, '2026-01-01T00:00:00Z'),
  ('pneumococcal', '肺炎球菌', 3, null, '2026-01-01T00:00:00Z'),
  ('zoster', '帯状疱疹', 4, null, '2026-01-01T00:00:00Z');

-- One dose; the row holds the current version, vaccination_dose_versions every version.
create table vaccination_doses (
  id             text primary key,
  patient_id     text not null,
  vaccine        text not null references vaccination_vaccines (code),
  dose_number    integer not null,
  given_at       text not null,
  place          text not null check (place in ('home', 'facility', 'venue')),
  manufacturer   text not null,
  lot_number     text not null,
  vaccinator     text not null,
  ticket_number  text not null,
  data           text not null,
  notice_id      text,
  recorded_by    text not null,
  recorded_at    text not null,
  version        integer not null default 1,
  origin_node    text not null
);
create index vaccination_doses_patient on vaccination_doses (patient_id, vaccine, dose_number);

create table vaccination_dose_versions (
  dose_id     text not null references vaccination_doses (id),
  version     integer not null,
  data        text not null,
  changed_by  text not null,
  changed_at  text not null,
  primary key (dose_id, version)
);

create table vaccination_reactions (
  id           text primary key,
  dose_id      text not null references vaccination_doses (id),
  kind         text not null,
  onset_at     text,
  outcome      text not null,
  recorded_by  text not null,
  recorded_at  text not null
);
create index vaccination_reactions_dose on vaccination_reactions (dose_id);

create table vaccination_plans (
  id           text primary key,
  patient_id   text not null,
  vaccine      text not null references vaccination_vaccines (code),
  status       text not null check (status in ('wished', 'planned', 'done', 'declined')),
  planned_for  text,
  assignee     text,
  assignee_name      text not null default '',
  assignee_facility  text not null default '',
  reason       text not null default '',
  created_by   text not null,
  created_at   text not null,
  updated_by   text not null,
  updated_at   text not null
);
create index vaccination_plans_patient on vaccination_plans (patient_id);
