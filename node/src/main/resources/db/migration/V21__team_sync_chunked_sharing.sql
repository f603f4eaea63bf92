-- The first sharing of a board (its first partner member) writes the board's history as team events
-- in bounded chunks, each its own transaction, so other writes interleave. This row says how far it
-- has come: the posts up to done_post_seq are in the log. It is deleted in the transaction that
-- finds no more posts (a node restarted meanwhile goes on from here).
create table board_sharing (
  board_id      text    primary key references care_boards (id),
  done_post_seq integer not null
) strict;
