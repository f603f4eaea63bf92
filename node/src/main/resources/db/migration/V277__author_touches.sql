-- The users whose place, as a timeline page shows it beside their posts (their facility's municipality,
-- their home node), a write transaction changed. A page reads its authors' places from memory
-- (AuthorPlaces) instead of joining users and facilities once per post; triggers fill this table, so no
-- write path (the API, team sync, an admin command, a cluster follower applying its leader's rows) can
-- change a place unnoticed, and the node's writer reads and empties it just before each commit and,
-- once the commit is durable, tells the in-memory places which users to read afresh. It is empty
-- between transactions and, like the other touch tables, never replicated.
create table author_touches (
  user_id text primary key
) strict, without rowid;

create trigger users_author_place_update after update of facility_id, home_node on users begin
  insert or ignore into author_touches (user_id) values (old.id), (new.id);
end;
create trigger users_author_place_delete after delete on users begin
  insert or ignore into author_touches (user_id) values (old.id);
end;

create trigger facilities_author_place_update after update of municipality_code on facilities begin
  insert or ignore into author_touches (user_id) select id from users where facility_id in (old.id, new.id);
end;
create trigger facilities_author_place_delete after delete on facilities begin
  insert or ignore into author_touches (user_id) select id from users where facility_id = old.id;
end;
