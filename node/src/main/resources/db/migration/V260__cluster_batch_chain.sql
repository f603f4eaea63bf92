-- Several instances of one node: each batch is chained to the one before it by a digest, so an
-- instance that committed a batch the others never received (a leader that died before replicating
-- it) finds out at the first batch of the new leader that does not follow its own, or at start by
-- comparing its last batch with the leader's. On a single instance these columns stay empty.
alter table cluster_batches add column prev_digest text not null default '';
alter table cluster_batches add column digest text not null default '';
-- The digest of the last batch this instance wrote or applied ('' before the first), and why it
-- diverged when it did (null: it has not). A diverged instance applies nothing more, publishes no
-- position and is never elected, until its database is rebuilt from the leader's.
alter table cluster_position add column digest text not null default '';
alter table cluster_position add column diverged text;
