-- How many comments and attachments hang off each post, kept in the post's own row. A timeline page
-- read from the database learns from the rows it reads anyway which of its posts have any, instead
-- of looking every post up in both indexes (100 index probes for a page of 50; at national scale
-- each a different index page, and a reader's page cache starts empty after every commit). Only the
-- few posts that have some are then read for them.
alter table posts add column comment_count integer not null default 0;
alter table posts add column attachment_count integer not null default 0;

update posts set comment_count = (select count(*) from comments m where m.post_id = posts.id)
  where id in (select post_id from comments);
update posts set attachment_count = (select count(*) from attachments a where a.post_id = posts.id)
  where id in (select post_id from attachments where post_id is not null);

-- Kept by the database itself, so no feature that adds, moves or removes a comment or an attachment
-- has to remember them. Changing a post's row also records its board in board_touches (its cached
-- first page is read again), as adding the comment or the attachment already does.
create trigger comments_count_insert after insert on comments begin
  update posts set comment_count = comment_count + 1 where id = new.post_id;
end;
create trigger comments_count_delete after delete on comments begin
  update posts set comment_count = comment_count - 1 where id = old.post_id;
end;
create trigger comments_count_update after update of post_id on comments when old.post_id is not new.post_id begin
  update posts set comment_count = comment_count - 1 where id = old.post_id;
  update posts set comment_count = comment_count + 1 where id = new.post_id;
end;
create trigger attachments_count_insert after insert on attachments when new.post_id is not null begin
  update posts set attachment_count = attachment_count + 1 where id = new.post_id;
end;
create trigger attachments_count_delete after delete on attachments when old.post_id is not null begin
  update posts set attachment_count = attachment_count - 1 where id = old.post_id;
end;
create trigger attachments_count_update after update of post_id on attachments
  when old.post_id is not new.post_id begin
  update posts set attachment_count = attachment_count - 1 where id = old.post_id;
  update posts set attachment_count = attachment_count + 1 where id = new.post_id;
end;

-- The updates above recorded boards as touched; no page is cached while the node migrates.
delete from board_touches;
