-- 救急隊からの引き継ぎ情報: the sheet a crew makes from an emergency access for the receiving hospital.
-- The sheet is kept as it was made (what the crew handed over, at that time) so the PDF and the
-- hospital's page show the same; revocation empties it. The link's token and the spoken code are
-- stored only as hashes: the crew is shown them once.
create table emergency_handovers (
  id             text primary key,
  access_id      text not null references emergency_accesses (id),
  responder_id   text not null references users (id),
  responder_name text not null,
  patient_id     text not null references patients (id),
  hospital       text not null,
  token_hash     text not null unique,
  code_hash      text not null,
  sheet          text not null,
  made_at        text not null,
  expires_at     text not null,
  opened_at      text,
  -- Wrong codes given with the right link; at the limit the link is locked for good.
  failed_codes   integer not null default 0,
  locked_at      text,
  revoked_at     text,
  revoked_by     text
) strict;
create index emergency_handovers_by_time on emergency_handovers (made_at);
