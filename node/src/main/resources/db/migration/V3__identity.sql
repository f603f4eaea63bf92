-- Identity and access (issue 4): facilities, their registration applications, users, device
-- certificates and web sessions. Secrets are never stored in the clear: passwords as Argon2id,
-- session ids and certificate retrieval numbers as SHA-256.

create table facilities (
  id                text primary key,
  name              text not null,
  prefecture        text not null,
  municipality_code text not null,
  category          text not null,
  status            text not null check (status in ('active', 'withdrawal_requested')),
  created_at        text not null
) strict;

create table registration_applications (
  id                text primary key,
  facility_name     text not null,
  prefecture        text not null,
  municipality_code text not null,
  category          text not null,
  family_name       text not null,
  given_name        text not null,
  family_kana       text not null,
  given_kana        text not null,
  profession        text not null,
  email             text not null,
  login_id          text not null,
  password_hash     text,
  device_type       text not null,
  status            text not null check (status in ('pending', 'approved', 'rejected')),
  reason            text,
  submitted_at      text not null,
  decided_at        text,
  decided_by        text
) strict;
-- A login id or address may be pending once; after rejection it may be applied for again.
create unique index registration_pending_login on registration_applications (login_id) where status = 'pending';
create unique index registration_pending_email on registration_applications (email) where status = 'pending';

create table users (
  id             text primary key,
  facility_id    text references facilities (id),
  login_id       text not null unique,
  email          text not null unique,
  family_name    text not null,
  given_name     text not null,
  family_kana    text not null,
  given_kana     text not null,
  profession     text not null,
  role           text not null check (role in
                   ('municipal_staff', 'facility_admin', 'professional', 'emergency_responder', 'node_operator')),
  password_hash  text not null,
  status         text not null check (status in ('active', 'disabled')),
  created_at     text not null
) strict;
create index users_facility on users (facility_id);

create table device_certificates (
  id                   text primary key,
  user_id              text not null references users (id),
  serial               text not null unique,
  fingerprint          text not null unique,
  device_type          text not null check (device_type in ('windows', 'mac', 'android', 'ios')),
  remark               text not null,
  not_before           text not null,
  not_after            text not null,
  status               text not null check (status in ('active', 'revoked')),
  retrieval_hash       text unique,
  pkcs12               blob,
  download_failures    integer not null default 0,
  issued_at            text not null,
  downloaded_at        text,
  revoked_at           text,
  revoked_by           text
) strict;
create index device_certificates_user on device_certificates (user_id);

create table sessions (
  id_hash         text primary key,
  user_id         text not null references users (id),
  certificate_id  text references device_certificates (id),
  csrf_token      text not null,
  created_at      text not null,
  last_seen_at    text not null
) strict;
create index sessions_user on sessions (user_id);

create table withdrawal_applications (
  id            text primary key,
  facility_id   text not null references facilities (id),
  reason        text not null,
  requested_by  text not null references users (id),
  requested_at  text not null,
  status        text not null check (status in ('pending'))
) strict;
