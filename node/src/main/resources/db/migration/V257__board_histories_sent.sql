-- Boards whose features' records (the doses, the meetings) have gone to their partners with the
-- board's first sharing. A board shared before the records went with it has no row here: a pass at
-- start sends its records once (partners take what they hold already as nothing), and the row then
-- says it is done, so the next start sends nothing more.
create table board_histories_sent (
  board_id text primary key references care_boards (id),
  sent_at  text not null
) strict, without rowid;
