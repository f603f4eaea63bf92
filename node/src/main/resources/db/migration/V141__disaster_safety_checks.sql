-- 安否確認 during a declared disaster: every record is kept (who, when, what, a note); a person's
-- status is their latest record of the declaration.
create table disaster_safety_checks (
  id             text primary key,
  declaration_id text not null references disaster_declarations (id),
  person_key     text not null,
  district       text not null,
  status         text not null check (status in ('safe', 'needs_help', 'injured', 'unknown', 'shelter',
                   'hospital', 'unreachable')),
  shelter        text not null,
  note           text not null,
  recorded_by    text not null references users (id),
  recorded_at    text not null
) strict;
create index disaster_safety_checks_person on disaster_safety_checks (declaration_id, person_key, recorded_at);
