package jp.tsunagu.node.care.replication;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.identity.FederatedId;

/**
 * Reading the content of a partner's team event: a field of the expected kind, or a
 * {@link SyncRejection} {@code sync.event_malformed} naming what is missing. Used by whoever checks
 * or applies an event (the care feature's own types and team sync's incoming-event policy).
 */
public final class EventFields {

  private EventFields() {}

  public static JsonObject object(JsonObject json, String key) {
    return object(json, key, false);
  }

  /** The object under {@code key}, or an empty one when the key is absent or not an object. */
  public static JsonObject optionalObject(JsonObject json, String key) {
    return object(json, key, true);
  }

  private static JsonObject object(JsonObject json, String key, boolean optional) {
    Object value = json.getValue(key);
    if (value instanceof JsonObject object) {
      return object;
    }
    if (optional) {
      return new JsonObject();
    }
    throw SyncRejection.malformed("the event carries no " + key);
  }

  public static JsonArray array(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof JsonArray array) {
      return array;
    }
    if (value instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    if (value == null) {
      return new JsonArray();
    }
    throw SyncRejection.malformed(key + " is not a list");
  }

  public static String requireText(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String text)) {
      throw SyncRejection.malformed("the event carries no text " + key);
    }
    return text;
  }

  /**
   * The profile a shadow of {@code member} may take from this event: only one its own node signed.
   * An inviter's node cannot say who a third node's professional is.
   */
  public static JsonObject profileFrom(Event event, String memberId, JsonObject profile) {
    return FederatedId.tryParse(memberId).map(FederatedId::node).filter(event.origin()::equals).isPresent()
        ? profile : null;
  }
}
