package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The home's pre-review, as the exchange reaches it: records a partner reviewer's opinion exactly as a
 * local reviewer's (seat on the panel, the deadline, a possible level and reason), failing with the
 * pre-review's own codes; {@code review.not_found} when she does not sit on the case's panel.
 */
public interface OpinionSink {

  Future<JsonObject> record(String node, String reviewer, String sessionId, String caseId, JsonObject opinion);
}
