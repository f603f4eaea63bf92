-- Emergency access (救急情報連携) and the advance care plan (人生会議).

-- What a crew needs to know at once and the registration had no place for: 病歴・既往歴, current
-- medication and allergies. Kept on the patient record (the team edits them beside the ACP).
alter table patients add column medical_history text not null default '';
alter table patients add column medications text not null default '';
alter table patients add column allergies text not null default '';

-- 人生会議: a structured record on the patient; every version is kept, the current one is the
-- highest version. The writer's name is copied so a version reads as written even after her
-- account is gone.
create table acp_versions (
  patient_id         text not null references patients (id),
  version            integer not null,
  wishes             text not null,
  resuscitation      text not null check (resuscitation in ('full', 'limited', 'dnar', 'undecided')),
  resuscitation_note text not null,
  proxy_name         text not null,
  proxy_relation     text not null,
  proxy_phone        text not null,
  participants       text not null,
  confirmed_on       text,
  migrated           integer not null check (migrated in (0, 1)),
  written_by         text not null references users (id),
  written_by_name    text not null,
  written_at         text not null,
  primary key (patient_id, version)
) strict, without rowid;

-- The free-text 人生会議の記録 of the registration becomes the first version of the structured
-- record (its text under 希望する医療・ケア, the intent on resuscitation 未定, marked as moved over),
-- and the old field is emptied: one place holds the plan from now on.
insert into acp_versions (patient_id, version, wishes, resuscitation, resuscitation_note, proxy_name, proxy_relation,
    proxy_phone, participants, confirmed_on, migrated, written_by, written_by_name, written_at)
  select p.id, 1, p.acp_notes, 'undecided', '', '', '', '', '', null, 1, p.created_by,
      coalesce((select u.family_name || ' ' || u.given_name from users u where u.id = p.created_by), ''), p.updated_at
    from patients p where trim(p.acp_notes) <> '';
update patients set acp_notes = '' where trim(acp_notes) <> '';

-- One emergency access: who opened whose record, why, under which 出場番号, until when.
create table emergency_accesses (
  id              text primary key,
  responder_id    text not null references users (id),
  responder_name  text not null,
  patient_id      text not null references patients (id),
  reason          text not null,
  dispatch_number text not null,
  opened_at       text not null,
  expires_at      text not null
) strict;
-- The hourly count per account (guessing protection) and the review list, newest first.
create index emergency_accesses_by_responder on emergency_accesses (responder_id, opened_at);
create index emergency_accesses_by_time on emergency_accesses (opened_at);

-- An account that asked for more accesses in an hour than the node allows: refused, and listed
-- for 行政 to look into.
create table emergency_access_flags (
  id             text primary key,
  responder_id   text not null references users (id),
  responder_name text not null,
  flagged_at     text not null,
  accesses       integer not null
) strict;
create index emergency_access_flags_by_time on emergency_access_flags (flagged_at);
