package jp.tsunagu.node.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How an instance whose database takes no writes (a follower of a clustered node) has a small write
 * made by the instance that holds the writer: the write travels as data (its kind, registered with
 * {@link Database#relayable}, and its values), never as code. Only records written beside a read go
 * this way (an audit record, a session's idle touch), so that the read itself is answered where it
 * arrived.
 */
public interface LeaderRelay {

  /** Whether writes made here go to the leader now (false on the leader itself). */
  boolean relays();

  /**
   * Sends the write to the leader; completes once the leader has committed it durably (and, as every
   * write of its, had it replicated). {@code coalesce}, when not null, names writes of the same kind
   * of which only the last one still waiting to be sent is worth sending (a session's touch).
   */
  Future<Void> send(String kind, String coalesce, JsonObject data);
}
