package jp.tsunagu.node.federation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One partner as {@code GET /admin/v1/peers} shows it, with what team sync still owes it.
 *
 * @param node        the partner's node name
 * @param displayName its network's name
 * @param endpoint    its federation endpoint
 * @param agreements  ids of the active agreements shared with it
 * @param reachable   whether its hello answered and verified just now
 * @param lastContact the last verified exchange with it, if any
 * @param problem     the code of the failed probe, when not reachable
 * @param backlog     team events it has not acknowledged plus this node's writes waiting for it
 * @param lagSeconds  age of the oldest of those, 0 when none wait
 * @param rejected    team events of boards homed here that it answered as rejected (kept, never resent)
 */
record PeerStatus(String node, String displayName, String endpoint, List<String> agreements, boolean reachable,
    Optional<Instant> lastContact, Optional<String> problem, long backlog, long lagSeconds, long rejected) {

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("node", node)
        .put("displayName", displayName)
        .put("endpoint", endpoint)
        .put("agreements", new JsonArray(agreements))
        .put("reachable", reachable)
        .put("lastContact", lastContact.map(Instant::toString).orElse(null))
        .put("backlog", backlog)
        .put("lagSeconds", lagSeconds)
        .put("rejected", rejected);
    problem.ifPresent(code -> json.put("problem", code));
    return json;
  }
}
