package jp.tsunagu.node.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one committed transaction of the leader changed, as shipped to the followers: its place in
 * the sequence of batches, the fencing token of the leader that wrote it, the schema version it was
 * written under, and the row changes in the order they happened (a JSON array of objects, each with
 * the table {@code t}, the operation {@code op}, the old and new keys {@code ok}/{@code nk} and the
 * row's values {@code v}, all in the typed encoding of {@link ChangeCapture}), and the digest of the
 * batch before it ({@link BatchChain}).
 *
 * <p>The changes travel and are kept as the text the leader made once, in one statement over its
 * change log: the digest, the kept copy on every instance and the message to each follower are of
 * that same text, so no instance encodes a batch again, and a follower parses it once, to apply it.
 */
public final class ReplicationBatch {

  /** The longest header a batch's message may have (its numbers, schema, digest and leader): far more than they need. */
  private static final int MAX_HEADER = 4_096;

  private final long batchId;
  private final long token;
  private final String schemaVersion;
  private final String changesText;
  private final String prevDigest;
  /** The changes parsed, once, when first needed (a leader never needs them). */
  private volatile JsonArray changes;

  private ReplicationBatch(long batchId, long token, String schemaVersion, String changesText, JsonArray changes,
      String prevDigest) {
    this.batchId = batchId;
    this.token = token;
    this.schemaVersion = Objects.requireNonNull(schemaVersion);
    this.changesText = Objects.requireNonNull(changesText);
    this.changes = changes;
    this.prevDigest = Objects.requireNonNull(prevDigest);
  }

  public ReplicationBatch(long batchId, long token, String schemaVersion, JsonArray changes, String prevDigest) {
    this(batchId, token, schemaVersion, changes.encode(), changes, prevDigest);
  }

  /** A batch that follows the first, empty link of the chain (a database's first batch). */
  public ReplicationBatch(long batchId, long token, String schemaVersion, JsonArray changes) {
    this(batchId, token, schemaVersion, changes, "");
  }

  /** A batch whose changes are given as their text (as made by the leader, or kept). */
  static ReplicationBatch ofText(long batchId, long token, String schemaVersion, String changesText,
      String prevDigest) {
    return new ReplicationBatch(batchId, token, schemaVersion, changesText, null, prevDigest);
  }

  public long batchId() {
    return batchId;
  }

  public long token() {
    return token;
  }

  public String schemaVersion() {
    return schemaVersion;
  }

  public String prevDigest() {
    return prevDigest;
  }

  /** The changes as the text that is hashed, kept and shipped. */
  public String changesText() {
    return changesText;
  }

  /** The changes parsed; a text that is no JSON array is refused with {@code cluster.bad_batch}. */
  public JsonArray changes() {
    JsonArray parsed = changes;
    if (parsed == null) {
      try {
        parsed = new JsonArray(changesText);
      } catch (DecodeException | ClassCastException e) {
        throw new ReplicationRefused("cluster.bad_batch", "batch " + batchId + "'s changes are not a JSON array");
      }
      changes = parsed;
    }
    return parsed;
  }

  /** This batch's link of the chain. */
  public String digest() {
    return BatchChain.digest(prevDigest, batchId, token, schemaVersion, changesText);
  }

  /** The batch as a page of fetched batches carries it. */
  public JsonObject toJson() {
    return header().put("changes", changesText);
  }

  /** Reads a batch from its JSON form; anything else is refused with {@code cluster.bad_batch}. */
  public static ReplicationBatch fromJson(JsonObject json) {
    try {
      Object changes = json.getValue("changes");
      if (changes instanceof JsonArray array) {
        changes = array.encode();
      }
      if (!(changes instanceof String text)) {
        throw new ReplicationRefused("cluster.bad_batch", "a batch needs batchId, token, schema and changes");
      }
      return fromHeader(json, text);
    } catch (ClassCastException e) {
      throw new ReplicationRefused("cluster.bad_batch", "a batch's fields have the wrong types");
    }
  }

  /**
   * The message that carries the batch to a follower alone ({@link #toWire(String, List)} with this
   * batch only).
   */
  public Buffer toWire(String leader) {
    return toWire(leader, List.of(this));
  }

  /**
   * The message that carries batches to a follower: for each batch in commit order, the length of a
   * small JSON header (numbers, schema, digest, the sending leader), the header, the length of the
   * changes' text and the text as it is, so the text the follower hashes and keeps is byte for byte the
   * leader's. Batches committed while the one before was still on its way go in one message, made once
   * and sent to every follower: one message and one answer each instead of one per batch.
   */
  static Buffer toWire(String leader, List<ReplicationBatch> batches) {
    List<byte[]> parts = new ArrayList<>(2 * batches.size());
    int length = 0;
    for (ReplicationBatch batch : batches) {
      byte[] header = batch.header().put("leader", leader).encode().getBytes(StandardCharsets.UTF_8);
      byte[] text = batch.changesText.getBytes(StandardCharsets.UTF_8);
      parts.add(header);
      parts.add(text);
      length += 8 + header.length + text.length;
    }
    Buffer wire = Buffer.buffer(length);
    for (byte[] part : parts) {
      wire.appendInt(part.length).appendBytes(part);
    }
    return wire;
  }

  /** The batches of one message as a follower received them, in order, and the leader that sent them. */
  record Received(List<ReplicationBatch> batches, String leader) {}

  /** Reads {@link #toWire}'s message; anything else is refused with {@code cluster.bad_batch}. */
  static Received fromWire(Buffer wire) {
    try {
      List<ReplicationBatch> batches = new ArrayList<>();
      String leader = null;
      int at = 0;
      do {
        int length = wire.length() >= at + 4 ? wire.getInt(at) : -1;
        int textAt = at + 4 + length;
        if (length < 2 || length > MAX_HEADER || textAt + 4 > wire.length()) {
          throw new ReplicationRefused("cluster.bad_batch", "a batch's message has no header");
        }
        int textLength = wire.getInt(textAt);
        int end = textAt + 4 + textLength;
        if (textLength < 0 || end > wire.length() || end < 0) {
          throw new ReplicationRefused("cluster.bad_batch", "a batch's changes are cut short");
        }
        JsonObject header = new JsonObject(wire.getString(at + 4, textAt, "UTF-8"));
        String from = header.getString("leader", "");
        if (leader != null && !leader.equals(from)) {
          throw new ReplicationRefused("cluster.bad_batch", "the batches of one message come from one leader");
        }
        leader = from;
        batches.add(fromHeader(header, wire.getString(textAt + 4, end, "UTF-8")));
        at = end;
      } while (at < wire.length());
      return new Received(List.copyOf(batches), leader);
    } catch (DecodeException | ClassCastException e) {
      throw new ReplicationRefused("cluster.bad_batch", "a batch's header is not what a leader sends");
    }
  }

  private JsonObject header() {
    return new JsonObject().put("batchId", batchId).put("token", token).put("schema", schemaVersion)
        .put("prev", prevDigest);
  }

  private static ReplicationBatch fromHeader(JsonObject header, String changesText) {
    Long batchId = header.getLong("batchId");
    Long token = header.getLong("token");
    String schema = header.getString("schema");
    String prev = header.getString("prev", "");
    if (batchId == null || token == null || schema == null || prev == null || batchId < 1 || token < 1) {
      throw new ReplicationRefused("cluster.bad_batch", "a batch needs batchId, token, schema and changes");
    }
    return ofText(batchId, token, schema, changesText, prev);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ReplicationBatch that && batchId == that.batchId && token == that.token
        && schemaVersion.equals(that.schemaVersion) && changesText.equals(that.changesText)
        && prevDigest.equals(that.prevDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batchId, token, schemaVersion, changesText, prevDigest);
  }

  @Override
  public String toString() {
    return "ReplicationBatch[" + batchId + ", token " + token + ", schema " + schemaVersion + "]";
  }
}
