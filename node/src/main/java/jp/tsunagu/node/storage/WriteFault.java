package jp.tsunagu.node.storage;

import java.time.Instant;

/**
 * Why the database cannot take writes: SQLite's result code (e.g. {@code SQLITE_FULL} for a full
 * disk) and since when writes have failed. Cleared by the next commit that changed rows (one that
 * changed none writes nothing, so it commits even on a full disk), such as {@link Database#probeWrites}'s.
 */
public record WriteFault(String code, Instant since) {}
