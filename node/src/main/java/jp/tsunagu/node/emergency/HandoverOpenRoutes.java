package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The receiving hospital opens the sheet without an account: the link's token and the code the crew
 * read out, both needed. A missing link and a wrong code get the same answer; wrong codes are
 * counted, and at {@link #CODE_GUESSES} the link is locked for good. With the right code a
 * revoked, expired or already opened sheet is refused with its own code; the first good open marks
 * it used. Every open and every refusal is audited (the actor is anonymous).
 */
final class HandoverOpenRoutes implements RouteSet {

  /** Wrong codes a link survives: a 6-digit code then falls to a guess once in 200,000 links. */
  static final int CODE_GUESSES = 5;
  private static final String ACTOR = "anonymous";

  private final EmergencyContext emergency;

  HandoverOpenRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/handovers/open").handler(AccessGuard::csrf).handler(this::open);
  }

  /** The sheet, or the refusal to answer with once the write (and its audit entry) is committed. */
  private record Opening(JsonObject sheet, CodedException refusal) {}

  private void open(RoutingContext ctx) {
    JsonObject body;
    try {
      body = JsonBodies.required(ctx);
    } catch (CodedException e) {
      emergency.refused(ACTOR, "emergency.handover.open", "emergency_handover", e).onFailure(ctx::fail);
      return;
    }
    String token = body.getValue("token") instanceof String t ? t.strip() : "";
    String code = body.getValue("code") instanceof String k ? spoken(k) : "";
    Instant now = emergency.now();
    emergency.services().database().write(c -> opening(c, token, code, now))
        .compose(o -> o.refusal() == null ? Future.succeededFuture(o.sheet())
            : Future.<JsonObject>failedFuture(o.refusal()))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** A code as typed after hearing it: full-width digits, spaces and hyphens are forgiven. */
  private static String spoken(String code) {
    return Normalizer.normalize(code, Normalizer.Form.NFKC).replaceAll("[\\s\\-－ー]", "");
  }

  private Opening opening(Connection c, String token, String code, Instant now) throws SQLException {
    String stamp = EmergencyContext.stamp(now);
    Optional<HandoverSql.Handover> found = token.isEmpty() ? Optional.empty()
        : HandoverSql.byTokenHash(c, HandoverSecrets.hash(token));
    if (found.isEmpty()) {
      return refuse(c, "emergency_handover", HandoverErrors.notFound(), new JsonObject());
    }
    HandoverSql.Handover h = found.get();
    String target = "emergency_handover:" + h.id();
    if (h.lockedAt() != null) {
      return refuse(c, target, HandoverErrors.locked(), new JsonObject());
    }
    if (!HandoverSecrets.codeMatches(h.codeHash(), token, code)) {
      int failed = h.failedCodes() + 1;
      HandoverSql.wrongCode(c, h.id(), failed, CODE_GUESSES, stamp);
      return refuse(c, target, HandoverErrors.notFound(), new JsonObject().put("failedCodes", failed)
          .put("locked", failed >= CODE_GUESSES));
    }
    CodedException gone = switch (h.status(stamp)) {
      case "revoked" -> HandoverErrors.revoked();
      case "used" -> HandoverErrors.used();
      case "expired" -> HandoverErrors.expired();
      default -> null;
    };
    if (gone != null) {
      return refuse(c, target, gone, new JsonObject());
    }
    HandoverSql.opened(c, h.id(), stamp);
    emergency.audit().append(c, AuditEvent.success(ACTOR, "emergency.handover.opened",
        EmergencyContext.patientTarget(h.patientId()), new JsonObject().put("handover", h.id())
            .put("hospital", h.hospital())));
    return new Opening(new JsonObject(h.sheet()), null);
  }

  private Opening refuse(Connection c, String target, CodedException refusal, JsonObject detail) throws SQLException {
    emergency.audit().append(c, AuditEvent.refused(ACTOR, "emergency.handover.open", target,
        detail.put("reason", refusal.code())));
    return new Opening(null, refusal);
  }
}
