package jp.tsunagu.node.storage;

/**
 * Work bound to one request that must commit in the same transaction as the next write the request
 * makes, and only with it (the row of a create's {@code Idempotency-Key}): whatever that write
 * creates and this work's rows are durable together or not at all. {@code afterCommit} runs on the
 * request's context once both are committed. Kept on the request's own (duplicated) Vert.x context,
 * so a request never hands it to another; see {@link Database#joinNextWrite}.
 */
record JoinedWork(JoinedSqlWork work, Runnable afterCommit) {}
