-- 家族にも公開: a team member's explicit choice to show one post in the patient's family notebook
-- (ここのーと). Off by default: a post is shown to the family only while it has a row here. Only an
-- active note of the patient's own timeline qualifies (never a 特別便, a form or vitals).
create table family_shared_posts (
  post_id    text primary key references posts (id),
  board_id   text not null references care_boards (id),
  shared_by  text not null references users (id),
  shared_at  text not null
) strict;

create index family_shared_posts_board on family_shared_posts (board_id, shared_at);
