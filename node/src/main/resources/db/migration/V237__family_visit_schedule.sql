-- 訪問予定: the visits the patient's team plans (day, time window, profession), published for the family
-- to see in the notebook. Entered by a member of the team on the patient's home node (family accounts
-- live there only); a cancelled visit is kept with when it was cancelled and no longer shown.
create table family_visits (
  id           text primary key,
  patient_id   text not null,
  visit_date   text not null,
  starts_at    text not null,
  ends_at      text not null,
  profession   text not null,
  planned_by   text not null references users (id),
  planned_at   text not null,
  cancelled_at text
) strict;
create index family_visits_patient on family_visits (patient_id, visit_date, starts_at);
