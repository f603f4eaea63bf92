-- The boards a write transaction changed anything on that a timeline page shows: their posts,
-- comments, read receipts, direct-post recipients, attachments, members, the board itself, or the
-- name of a direct post's recipient. Triggers fill it, so no write path (the API, team sync, a
-- purge, an admin command) can change a page unnoticed; the node's writer reads and empties it just
-- before each commit and, once the commit is durable, tells the in-memory timeline cache which
-- boards to read afresh (TimelineCache). It is empty between transactions.
create table board_touches (
  board_id text primary key
) strict, without rowid;

create trigger posts_touch_insert after insert on posts begin
  insert or ignore into board_touches (board_id) values (new.board_id);
end;
create trigger posts_touch_update after update on posts begin
  insert or ignore into board_touches (board_id) values (old.board_id), (new.board_id);
end;
create trigger posts_touch_delete after delete on posts begin
  insert or ignore into board_touches (board_id) values (old.board_id);
end;

create trigger post_reads_touch_insert after insert on post_reads begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = new.post_id;
end;
create trigger post_reads_touch_update after update on post_reads begin
  insert or ignore into board_touches (board_id) select board_id from posts where id in (old.post_id, new.post_id);
end;
create trigger post_reads_touch_delete after delete on post_reads begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = old.post_id;
end;

create trigger post_recipients_touch_insert after insert on post_recipients begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = new.post_id;
end;
create trigger post_recipients_touch_update after update on post_recipients begin
  insert or ignore into board_touches (board_id) select board_id from posts where id in (old.post_id, new.post_id);
end;
create trigger post_recipients_touch_delete after delete on post_recipients begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = old.post_id;
end;

create trigger comments_touch_insert after insert on comments begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = new.post_id;
end;
create trigger comments_touch_update after update on comments begin
  insert or ignore into board_touches (board_id) select board_id from posts where id in (old.post_id, new.post_id);
end;
create trigger comments_touch_delete after delete on comments begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = old.post_id;
end;

create trigger attachments_touch_insert after insert on attachments when new.post_id is not null begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = new.post_id;
end;
create trigger attachments_touch_update after update on attachments begin
  insert or ignore into board_touches (board_id) select board_id from posts where id in (old.post_id, new.post_id);
end;
create trigger attachments_touch_delete after delete on attachments when old.post_id is not null begin
  insert or ignore into board_touches (board_id) select board_id from posts where id = old.post_id;
end;

create trigger board_members_touch_insert after insert on board_members begin
  insert or ignore into board_touches (board_id) values (new.board_id);
end;
create trigger board_members_touch_update after update on board_members begin
  insert or ignore into board_touches (board_id) values (old.board_id), (new.board_id);
end;
create trigger board_members_touch_delete after delete on board_members begin
  insert or ignore into board_touches (board_id) values (old.board_id);
end;

create trigger care_boards_touch_update after update on care_boards begin
  insert or ignore into board_touches (board_id) values (old.id), (new.id);
end;
create trigger care_boards_touch_delete after delete on care_boards begin
  insert or ignore into board_touches (board_id) values (old.id);
end;

-- A direct post shows its recipients' names, read from users.
create trigger users_touch_name after update of family_name, given_name on users begin
  insert or ignore into board_touches (board_id)
    select distinct p.board_id from post_recipients r join posts p on p.id = r.post_id where r.user_id = new.id;
end;
