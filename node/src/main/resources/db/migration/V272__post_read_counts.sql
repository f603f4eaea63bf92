-- How many professionals have read each post (既読 N), kept in the post's own row like V270's comment and
-- attachment counts. A timeline page read from the database counted every post's receipts in post_reads,
-- whose rows are in post id order, i.e. in the order posts were written across all boards: 50 posts of one
-- board were 50 different index pages, fetched afresh after every commit (in WAL mode a reader's page cache
-- is emptied whenever another connection has committed). The page now reads the count from the row it
-- reads anyway, and whether the reader has read a post from post_reads_user (user_id, post_id), where one
-- reader's receipts lie together.
alter table posts add column read_count integer not null default 0;

create trigger post_reads_count_insert after insert on post_reads begin
  update posts set read_count = read_count + 1 where id = new.post_id;
end;
create trigger post_reads_count_delete after delete on post_reads begin
  update posts set read_count = read_count - 1 where id = old.post_id;
end;
create trigger post_reads_count_update after update of post_id on post_reads
  when old.post_id is not new.post_id begin
  update posts set read_count = read_count - 1 where id = old.post_id;
  update posts set read_count = read_count + 1 where id = new.post_id;
end;

-- A read receipt changes a kept first page by one reader, which the timeline cache adds itself
-- (V28's read_touches): the count's update must not record the whole board as touched, or every
-- 既読 would send the board's next page to the database. So a change of a post touches its board
-- when any column but read_count changes. A column added to posts later must be added here.
drop trigger posts_touch_update;
create trigger posts_touch_update after update of id, board_id, seq, author_id, author_name, author_profession,
  author_facility, category, kind, body, form_type, form_data, direct, status, version, created_at, edited_at,
  sync_state, comment_count, attachment_count on posts begin
  insert or ignore into board_touches (board_id) values (old.board_id), (new.board_id);
end;

-- Filled once the trigger above leaves read_count out, so that the fill touches no board.
update posts set read_count = (select count(*) from post_reads r where r.post_id = posts.id)
  where id in (select post_id from post_reads);

-- No page is cached while the node migrates; emptied all the same, as V270 does.
delete from board_touches;
