-- Files a feature's records on a board carry beyond the timeline's attachments (a meeting's
-- documents): a member node of the board may fetch them by hash from the home node, as it fetches
-- a post's attachment.
create table board_files (
  board_id  text not null references care_boards (id),
  sha256    text not null,
  primary key (board_id, sha256)
) strict, without rowid;
create index board_files_sha256 on board_files (sha256);
