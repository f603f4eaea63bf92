-- A post's vitals found through its post: every event a shared board logs of a post (and of each
-- correction) carries the post's vitals, looked up by post id on the database writer, and so does a
-- correction's update. Without this index each of them read the whole vitals table (a third of the
-- posts on a node where vitals are recorded every few days), inside the writer's transaction.
create index vitals_post on vitals (post_id);
