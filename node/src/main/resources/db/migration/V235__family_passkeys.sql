-- Passkeys (WebAuthn) of family accounts: a login that needs no password and no code, the phone's own
-- screen lock (fingerprint, face or PIN) verifying the person. The public key and the signature counter
-- are what a later login is checked against; a removed row is a passkey that no longer opens anything.
create table family_passkeys (
  id            text primary key,
  credential_id text not null unique,
  account_id    text not null references family_accounts (id),
  public_key    text not null,
  sign_count    integer not null,
  aaguid        text not null,
  format        text not null,
  flags         integer not null,
  created_at    text not null,
  last_used_at  text
) strict;
create index family_passkeys_account on family_passkeys (account_id);

-- The challenges handed out for a registration (bound to the account whose session asked) or a login
-- (before anyone is known): each is good once, for a few minutes; only its SHA-256 is kept.
create table family_passkey_challenges (
  challenge_hash text primary key,
  purpose        text not null check (purpose in ('register', 'login')),
  account_id     text references family_accounts (id),
  expires_at     text not null
) strict;
create index family_passkey_challenges_expiry on family_passkey_challenges (expires_at);
