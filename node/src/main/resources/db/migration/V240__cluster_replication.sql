-- Several instances of one node (cluster configuration). On a single instance these tables stay empty.
--
-- Row changes of the transaction being written, put here by triggers the leader generates from the
-- schema for every table (none are declared here: a table a later migration adds is covered at the
-- next start without a migration of its own). The commit hook gathers them into a batch and empties
-- this table before the transaction commits, so it is empty between transactions.
create table cluster_changes (
  seq integer primary key,
  table_name text not null,
  op text not null check (op in ('i', 'u', 'd')),
  -- json arrays of typed values: the rowid, or the primary key of a table without rowid
  old_key text,
  new_key text,
  -- json array of the row's typed values in the table's column order (inserts and updates)
  row_values text
);

-- Batches this instance committed as leader, kept so that a follower which missed some catches up.
create table cluster_batches (
  batch_id integer primary key,
  token integer not null,
  schema_version text not null,
  changes text not null
);

-- Where this instance stands: the last batch it wrote or applied, and the highest fencing token it
-- has seen (a batch carrying a lower one comes from a deposed leader and is refused).
create table cluster_position (
  id integer primary key check (id = 1),
  batch_id integer not null,
  token integer not null
);
insert into cluster_position (id, batch_id, token) values (1, 0, 0);
