-- Photos the family attaches to a notebook entry from the phone. The file lives in care's attachment
-- storage, tied to the entry's notice on the team's timeline; this row says which entry (and so
-- which patient) it belongs to, so the family sees it in the notebook and nothing else.
create table family_entry_photos (
  attachment_id text primary key,
  entry_id      text not null references family_entries (id),
  account_id    text not null references family_accounts (id),
  patient_id    text not null,
  created_at    text not null
) strict;
create index family_entry_photos_entry on family_entry_photos (entry_id);
create index family_entry_photos_account on family_entry_photos (account_id, created_at);
