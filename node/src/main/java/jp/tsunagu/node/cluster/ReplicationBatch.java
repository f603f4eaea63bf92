package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one committed transaction of the leader changed, as shipped to the followers: its place in
 * the sequence of batches, the fencing token of the leader that wrote it, the schema version it was
 * written under, and the row changes in the order they happened (each an object with the table
 * {@code t}, the operation {@code op}, the old and new keys {@code ok}/{@code nk} and the row's
 * values {@code v}, all in the typed encoding of {@link ChangeCapture}), and the digest of the batch
 * before it ({@link BatchChain}).
 */
public record ReplicationBatch(long batchId, long token, String schemaVersion, JsonArray changes, String prevDigest) {

  /** A batch that follows the first, empty link of the chain (a database's first batch). */
  public ReplicationBatch(long batchId, long token, String schemaVersion, JsonArray changes) {
    this(batchId, token, schemaVersion, changes, "");
  }

  /** This batch's link of the chain. */
  public String digest() {
    return BatchChain.digest(prevDigest, batchId, token, schemaVersion, changes.encode());
  }

  public JsonObject toJson() {
    return new JsonObject().put("batchId", batchId).put("token", token).put("schema", schemaVersion)
        .put("changes", changes).put("prev", prevDigest);
  }

  /** Reads a batch from its JSON form; anything else is refused with {@code cluster.bad_batch}. */
  public static ReplicationBatch fromJson(JsonObject json) {
    try {
      Long batchId = json.getLong("batchId");
      Long token = json.getLong("token");
      String schema = json.getString("schema");
      JsonArray changes = json.getJsonArray("changes");
      String prev = json.getString("prev", "");
      if (batchId == null || token == null || schema == null || changes == null || prev == null || batchId < 1
          || token < 1) {
        throw new ReplicationRefused("cluster.bad_batch", "a batch needs batchId, token, schema and changes");
      }
      return new ReplicationBatch(batchId, token, schema, changes, prev);
    } catch (ClassCastException e) {
      throw new ReplicationRefused("cluster.bad_batch", "a batch's fields have the wrong types");
    }
  }
}
