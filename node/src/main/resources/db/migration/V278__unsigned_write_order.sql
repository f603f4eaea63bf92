-- The order in which the writer wrote each event and outbox write still to be signed (issue 24). On a
-- clustered node's leader a committed transaction is not yet acknowledged: its batch may still be on its
-- way to the followers, and a leader that dies then has it discarded when it rejoins. The signer signs
-- (and so lets partners have) only the rows whose transaction is acknowledged: each row gets the writer's
-- next number, numbers grow in commit order, and the signer reads only up to the highest number an
-- acknowledged transaction had given. Rows from before this column (0) were all committed by a single
-- instance or replicated, and are signed as before.
alter table team_events_unsigned add column write_order integer not null default 0;
alter table sync_outbox_unsigned add column write_order integer not null default 0;
