-- Posts are stored in board order: a table without rowid keyed by (board_id, seq), so a timeline page's
-- 50 posts lie together on a few pages instead of on about 50 pages scattered among all boards' posts
-- in the order they were written (a reader's page cache is emptied by every commit, so each page read
-- past the timeline cache fetched them afresh). seq is never null and unique within a board (the old
-- posts_timeline index); a replica's pending posts have theirs above every sequenced post. id stays
-- unique: seven tables reference posts (id), and a post is found by it.
--
-- The table is made again under its own name: its children's references name "posts", and a rename
-- of the old table would carry them along. Dropping the old table checks those references as a delete
-- of every row would; deferred to the commit, they hold again once every row is back.

pragma defer_foreign_keys = on;

create table posts_before_v280 as select * from posts;

drop table posts;

create table posts (
  id                text not null unique,
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
  edited_at         text,
  sync_state        text check (sync_state in ('pending', 'rejected')),
  comment_count     integer not null default 0,
  attachment_count  integer not null default 0,
  read_count        integer not null default 0,
  primary key (board_id, seq)
) strict, without rowid;

insert into posts select * from posts_before_v280 order by board_id, seq;

drop table posts_before_v280;

-- The triggers on posts went with the old table (those of other tables that name posts stay): V27's
-- touches of a board, with V272's column list (every column but read_count: a receipt adds its reader
-- to the kept page, it does not drop it).
create trigger posts_touch_insert after insert on posts begin
  insert or ignore into board_touches (board_id) values (new.board_id);
end;

create trigger posts_touch_delete after delete on posts begin
  insert or ignore into board_touches (board_id) values (old.board_id);
end;

create trigger posts_touch_update after update of id, board_id, seq, author_id, author_name, author_profession,
  author_facility, category, kind, body, form_type, form_data, direct, status, version, created_at, edited_at,
  sync_state, comment_count, attachment_count on posts begin
  insert or ignore into board_touches (board_id) values (old.board_id), (new.board_id);
end;
