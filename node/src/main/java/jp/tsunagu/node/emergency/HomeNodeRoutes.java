package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Optional;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.EmergencyRequest;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.identity.Role;

/**
 * The home node's side of emergency access across municipal borders, on the federation listener: a
 * partner's responder searches this node's patients and opens one, asked by the responder's node in
 * a signed request ({@link PartnerRequestPolicy} checks it first). The answers and limits are those of
 * a local access: a search that matches too many lists none, an account opening too many in an hour
 * is refused and flagged, the view is the limited one (never the timeline) for 30 minutes, every
 * answer is audited, and the patient's team reads a notice on its timeline.
 */
final class HomeNodeRoutes {

  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("uuuu年M月d日 H時mm分")
      .withZone(EmergencyContext.JAPAN);
  /** The longest responder name kept on the notice (a partner's text, so bounded). */
  private static final int NAME_MAX = 40;

  private final EmergencyContext emergency;
  private final EmergencyRecords records;
  private final Federation federation;
  private final PartnerRequestPolicy policy;

  HomeNodeRoutes(EmergencyContext emergency, Federation federation, PartnerRequestPolicy policy) {
    this.emergency = emergency;
    this.records = emergency.records();
    this.federation = federation;
    this.policy = policy;
  }

  void mount(Router router) {
    router.post(EmergencyRequest.SEARCH_PATH).handler(this::search);
    router.post(EmergencyRequest.ACCESS_PATH.formatted(":patientId")).handler(this::open);
    router.post(EmergencyRequest.VIEW_PATH.formatted(":accessId")).handler(this::view);
  }

  /**
   * The view of an access again, for the responder who opened it and within its time only (the
   * responder's node keeps its own expiry too); after it, a new access with a new reason is needed.
   */
  private void view(RoutingContext ctx) {
    String accessId = ctx.pathParam("accessId");
    Instant now = emergency.now();
    policy.check(ctx, EmergencyRequest.VIEW, accessId).compose(request -> {
      String actor = request.responder().toString();
      return emergency.services().database().read(c -> {
        AccessSql.Access access = AccessSql.byId(c, accessId).filter(a -> a.responderId().equals(actor))
            .orElseThrow(EmergencyErrors::notFound);
        if (!now.isBefore(Instant.parse(access.expiresAt()))) {
          throw EmergencyErrors.expired();
        }
        return EmergencyView.read(c, records, emergency.consents(), access)
            .put("home", HomeMunicipality.of(federation.identity().card()));
      }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
          ? emergency.refused(actor, "emergency.partner.access.view", "emergency_access:" + accessId, coded)
          : Future.failedFuture(e))
          .compose(view -> emergency.audit().record(AuditEvent.success(actor, "emergency.partner.access.viewed",
              EmergencyContext.patientTarget(view.getJsonObject("patient").getString("id")),
              new JsonObject().put("node", request.node()).put("access", accessId))).map(ignored -> view));
    }).onSuccess(view -> answer(ctx, 200, view)).onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    policy.check(ctx, EmergencyRequest.SEARCH, "").compose(request -> {
      String actor = request.responder().toString();
      PatientSearch query;
      try {
        requireReason(request);
        query = PatientSearch.from(new JsonObject(new HashMap<>(request.search())));
      } catch (CodedException e) {
        return emergency.<JsonObject>refused(actor, "emergency.partner.search", "patients", e);
      }
      int most = emergency.searchMatches();
      return emergency.services().database().read(c -> query.run(records, c, most + 1)).compose(found -> {
        if (found.size() > most) {
          return emergency.<JsonObject>refused(actor, "emergency.partner.search", "patients",
              EmergencyErrors.tooBroad());
        }
        JsonArray people = new JsonArray();
        found.forEach(p -> people.add(new JsonObject().put("id", p.id()).put("name", p.name()).put("kana", p.kana())
            .put("birthDate", p.birthDate()).put("address", p.address()).put("archived", p.archived())));
        return emergency.audit().record(AuditEvent.success(actor, "emergency.partner.search", "patients",
            new JsonObject().put("node", request.node()).put("by", query.by()).put("matches", found.size())
                .put("reason", request.reason()).put("dispatchNumber", request.dispatchNumber())
                .put("patients", new JsonArray(found.stream().map(EmergencyRecords.Candidate::id).toList()))))
            .map(ignored -> new JsonObject().put("home", HomeMunicipality.of(federation.identity().card()))
                .put("patients", people));
      });
    }).onSuccess(answer -> answer(ctx, 200, answer)).onFailure(ctx::fail);
  }

  private void open(RoutingContext ctx) {
    String patientId = ctx.pathParam("patientId");
    NodeCard partner = CallingPartner.of(ctx);
    String target = EmergencyContext.patientTarget(patientId);
    policy.check(ctx, EmergencyRequest.OPEN, patientId).compose(request -> {
      String actor = request.responder().toString();
      try {
        requireReason(request);
      } catch (CodedException e) {
        return emergency.<Opened>refused(actor, "emergency.partner.access.open", target, e);
      }
      Instant now = emergency.now();
      return emergency.services().database().write(c -> opened(c, partner, request, now))
          .recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
              ? emergency.refused(actor, "emergency.partner.access.open", target, coded) : Future.failedFuture(e))
          .compose(opened -> opened.isPresent() ? Future.succeededFuture(opened.get())
              : Future.<Opened>failedFuture(EmergencyErrors.rateLimited()));
    }).compose(opened -> {
      // Read once the access is durable, on a reader: the single writer runs only the writes.
      return emergency.services().database().read(c -> EmergencyView.read(c, records, emergency.consents(),
          opened.access()).put("home", HomeMunicipality.of(federation.identity().card())));
    }).onSuccess(view -> answer(ctx, 201, view)).onFailure(ctx::fail);
  }

  private record Opened(AccessSql.Access access) {}

  /**
   * The access, its notice and its audit entry, in one transaction; none when the responder
   * is over the hourly count (flagged to 行政 and audited instead, as a local account is). The responder
   * is kept as a partner's person (a shadow account that cannot log in), so the review list, the
   * hourly count and the notice name them like a local responder.
   */
  private Optional<Opened> opened(Connection c, NodeCard partner, EmergencyRequest request, Instant now)
      throws SQLException {
    String responderId = request.responder().toString();
    String name = responderName(request, partner);
    new FederatedUsers(federation.identity().name()).upsertShadow(c, request.responder(),
        new JsonObject().put("familyName", name).put("profession", "ems_crew"));
    String stamp = EmergencyContext.stamp(now);
    String patientId = request.patientId();
    int lastHour = AccessSql.openedSince(c, responderId, EmergencyContext.stamp(now.minusSeconds(3600)));
    if (lastHour >= emergency.accessesPerHour()) {
      AccessSql.flag(c, CareIds.next(), responderId, name, stamp, lastHour);
      emergency.audit().append(c, AuditEvent.refused(responderId, "emergency.partner.access.open",
          EmergencyContext.patientTarget(patientId), new JsonObject().put("reason", "emergency.too_many_accesses")
              .put("node", request.node()).put("accessesInHour", lastHour)));
      return Optional.empty();
    }
    EmergencyRecords.Candidate patient = records.patient(c, patientId).orElseThrow(EmergencyErrors::notFound);
    if (patient.archived()) {
      throw EmergencyErrors.archived();
    }
    AccessSql.Access access = new AccessSql.Access(CareIds.next(), responderId, name, patientId, request.reason(),
        request.dispatchNumber(), stamp, EmergencyContext.stamp(now.plus(emergency.accessFor())));
    AccessSql.insert(c, access);
    String postId = records.postNotice(c, patient, new EmergencyRecords.NoticeAuthor(responderId, name,
        Role.EMERGENCY_RESPONDER.labelJa()), notice(name, partner, request, now));
    emergency.audit().append(c, AuditEvent.success(responderId, "emergency.partner.access.opened",
        EmergencyContext.patientTarget(patientId), new JsonObject().put("node", request.node())
            .put("access", access.id()).put("reason", request.reason())
            .put("dispatchNumber", request.dispatchNumber()).put("expiresAt", access.expiresAt())
            .put("post", postId)));
    return Optional.of(new Opened(access));
  }

  /** The responder as the team reads them: the name their node gave, and where they come from. */
  private static String responderName(EmergencyRequest request, NodeCard partner) {
    String given = request.responderName().strip();
    String name = given.isEmpty() ? request.responder().loginId() : given;
    name = name.codePointCount(0, name.length()) > NAME_MAX
        ? name.substring(0, name.offsetByCodePoints(0, NAME_MAX)) : name;
    return name + "（" + HomeMunicipality.names(partner) + "）";
  }

  private static String notice(String name, NodeCard partner, EmergencyRequest request, Instant now) {
    return "救急隊が緊急閲覧しました\n閲覧者: " + name + "（" + Role.EMERGENCY_RESPONDER.labelJa() + "・"
        + partner.profile().displayName() + "）\n日時: " + SHOWN.format(now) + "\n理由: " + request.reason()
        + "\n出場番号: " + request.dispatchNumber();
  }

  private static void requireReason(EmergencyRequest request) {
    if (request.reason().isBlank() || request.reason().length() > 200) {
      throw EmergencyErrors.reasonRequired();
    }
    if (request.dispatchNumber().isBlank() || request.dispatchNumber().length() > 20) {
      throw EmergencyErrors.dispatchNumberRequired();
    }
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }
}
