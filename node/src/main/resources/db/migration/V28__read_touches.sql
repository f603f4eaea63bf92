-- A read receipt (既読) changes a timeline page only by one reader: the timeline cache adds it to
-- the page it keeps instead of reading the board again, so that members reading (and so marking
-- read) do not send each other's next page to the database. New receipts are recorded here instead
-- of in board_touches; the node's writer empties this table just before each commit, like
-- board_touches. Receipts updated or deleted (a purge) still touch the whole board.
create table read_touches (
  board_id text not null,
  post_id  text not null,
  user_id  text not null,
  primary key (post_id, user_id)
) strict, without rowid;

drop trigger post_reads_touch_insert;
create trigger post_reads_touch_insert after insert on post_reads begin
  insert or ignore into read_touches (board_id, post_id, user_id)
    select board_id, new.post_id, new.user_id from posts where id = new.post_id;
end;
