-- The reviewer's node, for one of its professionals on a partner's panel: the meeting's end and video
-- link (mailed to her), the session's opinions as the home lets her see them (her own; the others' on a
-- case once she has given hers, or all as they come when she chairs), replaced by each newer signed
-- view and deleted with the session's copies, and the mails her node sent her.
alter table review_partner_sessions add column ends_at text;
alter table review_partner_sessions add column video_url text not null default '';

-- One row per case of the latest view: whether the others' opinions are visible, and when the home
-- signed the view (an older view arriving late does not replace a newer one).
create table review_partner_opinion_views (
  home_node       text not null,
  session_id      text not null,
  reviewer_id     text not null,
  case_id         text not null,
  others_visible  integer not null check (others_visible in (0, 1)),
  issued_at       text not null,
  primary key (home_node, session_id, reviewer_id, case_id)
) strict;

-- The opinions of that view: hers (mine = 1) and the others' she may see, in the home's order.
create table review_partner_opinions (
  home_node      text not null,
  session_id     text not null,
  reviewer_id    text not null,
  case_id        text not null,
  ordinal        integer not null,
  mine           integer not null check (mine in (0, 1)),
  reviewer_name  text not null,
  agrees         integer not null check (agrees in (0, 1)),
  level          text not null,
  reason         text not null,
  months         integer not null,
  comment        text not null,
  submitted_at   text not null,
  primary key (home_node, session_id, reviewer_id, case_id, ordinal)
) strict;

-- The notice (at the release: date, time, video link, deadline) and the reminder (a day before the
-- deadline, while a case lacks her opinion) her node mailed her; written after the mail went out, so a
-- failed mail is tried again and a sent one never twice. No case data.
create table review_partner_notices (
  home_node    text not null,
  session_id   text not null,
  reviewer_id  text not null,
  kind         text not null check (kind in ('notice', 'reminder')),
  sent_at      text not null,
  primary key (home_node, session_id, reviewer_id, kind)
) strict;
