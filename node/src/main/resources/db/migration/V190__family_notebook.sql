-- ここのーと (the family notebook). A team member invites a family member or the patient; the
-- patient's consent is recorded with the invitation (who gave it, when) and an invitation without it
-- is refused. The account belongs to one patient of this node: the same mail address invited for
-- another patient's family is another account, scoped to that patient. Family accounts never leave
-- this node (no team event carries them).
create table family_accounts (
  id                 text primary key,
  patient_id         text not null,
  login_id           text not null unique,
  email              text not null,
  display_name       text not null,
  relation           text not null,
  consent_by         text not null,
  consent_at         text not null,
  invited_by         text not null references users (id),
  invited_at         text not null,
  -- The one-time code that activates (or, after a recovery, re-activates) the account: its SHA-256 only.
  activation_hash    text,
  activation_expires text,
  password_hash      text,
  totp_secret        text,
  -- The last TOTP time step accepted: a code of this step or an earlier one is a replay.
  totp_last_step     integer not null default 0,
  status             text not null check (status in ('invited', 'active', 'revoked')),
  failed_logins      integer not null default 0,
  locked_until       text,
  last_login_at      text
) strict;

create index family_accounts_patient on family_accounts (patient_id);

create table family_sessions (
  id_hash      text primary key,
  account_id   text not null references family_accounts (id),
  csrf_token   text not null,
  created_at   text not null,
  last_seen_at text not null
) strict;

-- What the family records in the notebook (食事, 睡眠, 排泄, 服薬, 気になること) and its questions to the
-- team; post_id is the team timeline's notice that shows it to the team.
create table family_entries (
  id          text primary key,
  account_id  text not null references family_accounts (id),
  patient_id  text not null,
  kind        text not null,
  body        text not null,
  created_at  text not null,
  post_id     text
) strict;

create index family_entries_patient on family_entries (patient_id, created_at);
