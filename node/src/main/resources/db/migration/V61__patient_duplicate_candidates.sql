-- A registration that matches a patient already registered here (same name and birth date) is not
-- refused: the answer would tell someone outside that patient's team that the patient exists. It is
-- registered as the registrant's own and flagged here for municipal staff (行政), who see the node's
-- patients, to resolve: invite the registrant into the existing team (the new record is archived),
-- or dismiss (not the same person).
create table patient_duplicate_candidates (
  id            text primary key,
  patient_id    text not null references patients (id),
  existing_id   text not null references patients (id),
  registered_by text not null references users (id),
  team_role     text not null,
  status        text not null check (status in ('open', 'invited', 'dismissed')),
  created_at    text not null,
  decided_by    text references users (id),
  decided_at    text,
  unique (patient_id, existing_id)
) strict;
create index patient_duplicate_candidates_status on patient_duplicate_candidates (status, created_at);
