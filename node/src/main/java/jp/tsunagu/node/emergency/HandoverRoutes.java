package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.identity.User;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The crew's handover to the receiving hospital: from an access of their own that is still open,
 * a sheet (PDF) and a one-time link with a spoken code for the hospital, valid for 24 hours. Made
 * only while the access lasts, by the responder who holds it; the team reads a notice of it.
 */
final class HandoverRoutes implements RouteSet {

  /** Long enough for the hospital to open it after admission, short enough not to linger. */
  static final Duration VALID_FOR = Duration.ofHours(24);

  private final EmergencyContext emergency;
  private final EmergencyRecords records;
  private final HandoverSecrets secrets = new HandoverSecrets();

  HandoverRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
    this.records = emergency.records();
  }

  @Override
  public void mountApi(Router api) {
    emergency.services().idempotency().guard(api.post("/emergency/accesses/:accessId/handovers")
        .handler(AccessRoutes.RESPONDERS).handler(AccessGuard::csrf)).handler(this::make);
    api.get("/emergency/handovers/:handoverId/pdf").handler(AccessRoutes.RESPONDERS).handler(this::pdf);
  }

  /** A made sheet with the secrets the crew is shown once. */
  private record Made(HandoverSql.Handover handover, String token, String code) {}

  private void make(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String accessId = ctx.pathParam("accessId");
    String target = "emergency_access:" + accessId;
    String hospital;
    try {
      hospital = new CareInput(JsonBodies.required(ctx)).optionalText("hospital", "搬送先の医療機関", 100);
      if (hospital.isEmpty()) {
        throw HandoverErrors.hospitalRequired();
      }
    } catch (CodedException e) {
      emergency.refused(user.id(), "emergency.handover.make", target, e).onFailure(ctx::fail);
      return;
    }
    Instant now = emergency.now();
    emergency.services().database().write(c -> made(c, user, accessId, hospital, now))
        .recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
            ? emergency.refused(user.id(), "emergency.handover.make", target, coded) : Future.failedFuture(e))
        .onSuccess(made -> {
          // Shown once and not kept for a retry: the link and code are the hospital's keys to the sheet.
          Answers.createdOnce(ctx, made.handover().summary(EmergencyContext.stamp(now))
              .put("link", "/#/handover/" + made.token()).put("code", made.code())
              .put("pdf", "/api/v1/emergency/handovers/" + made.handover().id() + "/pdf"));
        }).onFailure(ctx::fail);
  }

  private Made made(Connection c, User user, String accessId, String hospital, Instant now) throws SQLException {
    AccessSql.Access access = ownOpenAccess(c, user, accessId, now);
    JsonObject facts = records.emergencyFacts(c, access.patientId()).orElseThrow(EmergencyErrors::notFound);
    if (facts.getBoolean("archived")) {
      throw EmergencyErrors.archived();
    }
    JsonObject sheet = HandoverSheet.of(access, facts, AcpSql.current(c, access.patientId()),
        emergency.consents().of(c, access.patientId()), hospital,
        user.displayName(), now);
    String token = secrets.token();
    String code = secrets.code();
    HandoverSql.Handover handover = new HandoverSql.Handover(CareIds.next(), access.id(), user.id(),
        user.displayName(), access.patientId(), hospital, HandoverSecrets.hash(token),
        HandoverSecrets.codeHash(token, code), sheet.encode(), EmergencyContext.stamp(now),
        EmergencyContext.stamp(now.plus(VALID_FOR)), null, 0, null, null);
    HandoverSql.insert(c, handover);
    String postId = records.postNotice(c, access.patientId(), new EmergencyRecords.NoticeAuthor(user.id(),
        user.displayName(), Role.EMERGENCY_RESPONDER.labelJa()),
        HandoverSheet.notice(user.displayName(), hospital, access.dispatchNumber(), now));
    emergency.audit().append(c, AuditEvent.success(user.id(), "emergency.handover.made",
        EmergencyContext.patientTarget(access.patientId()), new JsonObject().put("handover", handover.id())
            .put("access", access.id()).put("hospital", hospital).put("expiresAt", handover.expiresAt())
            .put("post", postId)));
    return new Made(handover, token, code);
  }

  /** The caller's own access, refused as the emergency view refuses it: someone else's, or expired. */
  private static AccessSql.Access ownOpenAccess(Connection c, User user, String accessId, Instant now)
      throws SQLException {
    AccessSql.Access access = AccessSql.byId(c, accessId).filter(a -> a.responderId().equals(user.id()))
        .orElseThrow(EmergencyErrors::notFound);
    if (!now.isBefore(Instant.parse(access.expiresAt()))) {
      throw EmergencyErrors.expired();
    }
    return access;
  }

  /** The sheet's PDF, for the crew who made it, while their access lasts and the sheet is not revoked. */
  private void pdf(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String handoverId = ctx.pathParam("handoverId");
    Instant now = emergency.now();
    emergency.services().database().read(c -> {
      HandoverSql.Handover h = HandoverSql.byId(c, handoverId).filter(x -> x.responderId().equals(user.id()))
          .orElseThrow(EmergencyErrors::notFound);
      ownOpenAccess(c, user, h.accessId(), now);
      if (h.revokedAt() != null) {
        throw HandoverErrors.revoked();
      }
      return h;
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? emergency.refused(user.id(), "emergency.handover.pdf", "emergency_handover:" + handoverId, coded)
        : Future.failedFuture(e))
        .compose(h -> emergency.audit().record(AuditEvent.success(user.id(), "emergency.handover.pdf",
            EmergencyContext.patientTarget(h.patientId()), new JsonObject().put("handover", h.id())))
            .compose(ignored -> ctx.vertx().executeBlocking(() -> HandoverPdf.render(
                JapanesePdfFont.find(JapanesePdfFont.systemFonts()), new JsonObject(h.sheet())), false)))
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", "application/pdf")
            .putHeader("Content-Disposition", "inline; filename=\"handover-" + handoverId + ".pdf\"")
            .putHeader("Cache-Control", "no-store").end(io.vertx.core.buffer.Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }
}
