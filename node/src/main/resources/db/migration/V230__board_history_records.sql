-- The first sharing of a board carries, after its posts, the records of other features (the doses,
-- the meetings) as their own team events. Once the posts are in the log, the records are listed here
-- in one transaction (ids only) and board_sharing says so; the records' events are then written a
-- few records per transaction, each row deleted as its record is logged. While a record waits here,
-- what is done to it is not logged on its own: its turn carries its state at that moment.
alter table board_sharing add column records_listed integer not null default 0;

create table board_history_records (
  board_id   text    not null references care_boards (id),
  position   integer not null,
  history    text    not null,
  record_id  text    not null,
  primary key (board_id, position)
) strict;
create index board_history_records_record on board_history_records (board_id, record_id);
