-- Care core (issue 5): patients and groups are both "boards" with members and a timeline, so
-- posting, comments, direct posts, read receipts and attachments work the same for both.
-- Nothing is ever hard-deleted: patients are archived, posts are marked deleted and keep versions.

create table care_boards (
  id          text primary key,
  kind        text not null check (kind in ('patient', 'group')),
  created_at  text not null
) strict;

create table patients (
  id                 text primary key references care_boards (id),
  family_name        text not null,
  given_name         text not null,
  family_kana        text not null,
  given_kana         text not null,
  birth_date         text not null,
  sex                text not null check (sex in ('male', 'female', 'other')),
  address            text not null,
  municipality_code  text not null,
  phone              text not null,
  family_doctor      text not null,
  care_level         text not null,
  emergency_contacts text not null,
  acp_notes          text not null,
  remarks            text not null,
  status             text not null check (status in ('active', 'archived')),
  created_by         text not null references users (id),
  created_at         text not null,
  updated_at         text not null
) strict;
-- Search by kana (prefix) and the duplicate check of a registration (same person, same birthday).
create index patients_kana on patients (family_kana, given_kana);
create index patients_identity on patients (family_name, given_name, birth_date);

create table care_groups (
  id          text primary key references care_boards (id),
  name        text not null,
  description text not null,
  status      text not null check (status in ('active', 'archived')),
  created_by  text not null references users (id),
  created_at  text not null
) strict;

create table board_members (
  board_id    text not null references care_boards (id),
  user_id     text not null references users (id),
  team_role   text not null,
  status      text not null check (status in ('invited', 'active', 'left', 'removed', 'declined')),
  invited_by  text not null references users (id),
  invited_at  text not null,
  changed_at  text not null,
  primary key (board_id, user_id)
) strict, without rowid;
-- "My patients" and "my invitations" for a user.
create index board_members_user on board_members (user_id, status, board_id);

create table posts (
  id                text primary key,
  board_id          text not null references care_boards (id),
  seq               integer not null,
  author_id         text not null references users (id),
  author_name       text not null,
  author_profession text not null,
  author_facility   text not null,
  category          text not null,
  kind              text not null check (kind in ('note', 'form', 'vitals')),
  body              text not null,
  form_type         text,
  form_data         text,
  direct            integer not null check (direct in (0, 1)),
  status            text not null check (status in ('active', 'deleted')),
  version           integer not null,
  created_at        text not null,
  edited_at         text
) strict;
-- The timeline: newest first by the board's own sequence (the benchmark's hot path).
create unique index posts_timeline on posts (board_id, seq);

create table post_versions (
  post_id    text not null references posts (id),
  version    integer not null,
  category   text not null,
  body       text not null,
  form_data  text,
  written_at text not null,
  primary key (post_id, version)
) strict, without rowid;

create table post_recipients (
  post_id text not null references posts (id),
  user_id text not null references users (id),
  primary key (post_id, user_id)
) strict, without rowid;

create table post_reads (
  post_id text not null references posts (id),
  user_id text not null references users (id),
  read_at text not null,
  primary key (post_id, user_id)
) strict, without rowid;
create index post_reads_user on post_reads (user_id, post_id);

create table comments (
  id                text primary key,
  post_id           text not null references posts (id),
  author_id         text not null references users (id),
  author_name       text not null,
  author_profession text not null,
  author_facility   text not null,
  body              text not null,
  created_at        text not null
) strict;
create index comments_post on comments (post_id, created_at);

-- Files are stored once by SHA-256 under the data directory; a row ties a stored file to an
-- upload (by its uploader) and, once posted, to a post.
create table attachments (
  id          text primary key,
  sha256      text not null,
  file_name   text not null,
  media_type  text not null,
  size        integer not null,
  thumbnail   integer not null check (thumbnail in (0, 1)),
  uploaded_by text not null references users (id),
  uploaded_at text not null,
  post_id     text references posts (id)
) strict;
create index attachments_post on attachments (post_id);

create table vitals (
  id           text primary key,
  board_id     text not null references care_boards (id),
  post_id      text not null references posts (id),
  measured_at  text not null,
  systolic     integer,
  diastolic    integer,
  pulse        integer,
  temperature  real,
  spo2         integer,
  weight       real,
  recorded_by  text not null references users (id)
) strict;
create index vitals_board on vitals (board_id, measured_at);

-- 情報カテゴリー: the node's list of post categories, in display order. Operators change it here
-- (a row with active = 0 is no longer offered but old posts keep it).
create table post_categories (
  name     text primary key,
  position integer not null,
  active   integer not null check (active in (0, 1))
) strict;
insert into post_categories (name, position, active) values
  ('連絡', 1, 1), ('申し送り', 2, 1), ('相談', 3, 1), ('服薬', 4, 1), ('食事', 5, 1), ('排泄', 6, 1),
  ('睡眠', 7, 1), ('リハビリ', 8, 1), ('受診', 9, 1), ('バイタル', 10, 1), ('書類', 11, 1), ('緊急', 12, 1);
