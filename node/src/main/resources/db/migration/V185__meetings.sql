-- Meetings (ビデオ会議開催支援, issue 21): a meeting belongs to a board (a patient's care team or a
-- group), has participants (board members, and family contacts reached by mail only), a video link
-- from one of the node's providers, documents for participants only, reminders sent once per
-- kind and schedule, and minutes. SEQUENCE of the iCalendar copies is raised on every change.

create table meetings (
  id             text primary key,
  board_id       text not null references care_boards (id),
  kind           text not null,
  title          text not null,
  starts_at      text not null,
  ends_at        text not null,
  place          text not null,
  online         integer not null check (online in (0, 1)),
  video_provider text not null,
  video_url      text not null,
  agenda         text not null,
  status         text not null check (status in ('scheduled', 'cancelled')),
  sequence       integer not null,
  organizer_id   text not null references users (id),
  minutes        text not null,
  decisions      text not null,
  minutes_at     text,
  created_at     text not null,
  updated_at     text not null
) strict;
create index meetings_board on meetings (board_id, starts_at);
-- The reminder job looks at scheduled meetings by start.
create index meetings_due on meetings (status, starts_at);

-- A participant: a user of this node or a partner's professional (user_id set), or a family
-- contact reached by mail only (user_id null, keyed by the address).
create table meeting_participants (
  meeting_id text not null references meetings (id),
  key        text not null,
  user_id    text references users (id),
  email      text not null,
  name       text not null,
  response   text not null check (response in ('pending', 'attend', 'decline', 'tentative')),
  attended   integer not null check (attended in (0, 1)),
  primary key (meeting_id, key)
) strict, without rowid;
create index meeting_participants_user on meeting_participants (user_id, meeting_id);

create table meeting_documents (
  id           text primary key,
  meeting_id   text not null references meetings (id),
  name         text not null,
  content_type text not null,
  content      blob not null,
  uploaded_by  text not null references users (id),
  uploaded_at  text not null
) strict;
create index meeting_documents_meeting on meeting_documents (meeting_id);

-- A reminder is sent once per meeting, kind and schedule (a change of time re-arms it).
create table meeting_reminders (
  meeting_id text not null references meetings (id),
  kind       text not null check (kind in ('day', 'soon')),
  starts_at  text not null,
  sent_at    text not null,
  primary key (meeting_id, kind, starts_at)
) strict, without rowid;

-- A personal iCalendar feed: only the secret's SHA-256 is kept; a revoked secret stays known so
-- that its calendar application gets a stable answer instead of a silent empty calendar.
create table meeting_feeds (
  secret_sha256 text primary key,
  user_id       text not null references users (id),
  status        text not null check (status in ('active', 'revoked')),
  created_at    text not null,
  revoked_at    text
) strict;
create index meeting_feeds_user on meeting_feeds (user_id, status);
