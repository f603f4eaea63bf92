package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.identity.User;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.idempotency.KeyedRequest;

/**
 * Emergency access (break-glass) for 救急・消防 accounts: search this node's patients, open one with a
 * reason and the 出場番号, read the limited view until the access expires. No consent flag blocks it
 * (an emergency is the law's exception); every search, access, view and refusal is audited, and the
 * patient's team reads a notice on its timeline. Every other role gets 403 here.
 */
final class AccessRoutes implements RouteSet {

  static final Handler<RoutingContext> RESPONDERS = AccessGuard.roles(Role.EMERGENCY_RESPONDER);
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("uuuu年M月d日 H時mm分")
      .withZone(EmergencyContext.JAPAN);

  private final EmergencyContext emergency;
  private final EmergencyRecords records;

  AccessRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
    this.records = emergency.records();
  }

  @Override
  public void mountApi(Router api) {
    api.post("/emergency/search").handler(RESPONDERS).handler(AccessGuard::csrf).handler(this::search);
    emergency.services().idempotency().guard(api.post("/emergency/accesses").handler(RESPONDERS)
        .handler(AccessGuard::csrf)).handler(this::open);
    api.get("/emergency/accesses/:accessId").handler(RESPONDERS).handler(this::view);
  }

  /** Lists at most {@code searchMatches} people; more than that lists none and asks for detail. */
  private void search(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    PatientSearch query;
    try {
      query = PatientSearch.from(JsonBodies.required(ctx));
    } catch (CodedException e) {
      emergency.refused(user.id(), "emergency.search", "patients", e).onFailure(ctx::fail);
      return;
    }
    int most = emergency.searchMatches();
    emergency.services().database().read(c -> query.run(records, c, most + 1)).compose(found -> {
      if (found.size() > most) {
        return emergency.<JsonObject>refused(user.id(), "emergency.search", "patients", EmergencyErrors.tooBroad());
      }
      JsonArray people = new JsonArray();
      found.forEach(p -> people.add(new JsonObject().put("id", p.id()).put("name", p.name()).put("kana", p.kana())
          .put("birthDate", p.birthDate()).put("address", p.address()).put("archived", p.archived())));
      // Who was shown, not what was typed: the log names the people a search disclosed.
      return emergency.audit().record(AuditEvent.success(user.id(), "emergency.search", "patients",
          new JsonObject().put("by", query.by()).put("matches", found.size())
              .put("patients", new JsonArray(found.stream().map(EmergencyRecords.Candidate::id).toList()))))
          .map(ignored -> new JsonObject().put("patients", people));
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /**
   * Opens an access: refused without a reason or 出場番号, for a patient not on this node or archived,
   * and once the account has opened {@code accessesPerHour} in the last hour (then the account is
   * flagged to 行政 in the same write). Otherwise the access, its audit entries (opened, viewed) and
   * the team's notice are one write transaction; the view is read on a reader connection meanwhile
   * and answered once that transaction is durable. The single writer that every request of the node
   * queues for runs only the writes (the view's six reads ran there too, and every crew waited
   * behind them).
   */
  private void open(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    JsonObject body = JsonBodies.required(ctx);
    String patientId = body.getValue("patientId") instanceof String id ? id : "";
    String target = EmergencyContext.patientTarget(patientId);
    String reason;
    String dispatch;
    try {
      CareInput in = new CareInput(body);
      reason = in.optionalText("reason", "閲覧の理由", 200);
      dispatch = in.optionalText("dispatchNumber", "出場番号", 20);
      if (reason.isEmpty()) {
        throw EmergencyErrors.reasonRequired();
      }
      if (dispatch.isEmpty()) {
        throw EmergencyErrors.dispatchNumberRequired();
      }
    } catch (CodedException e) {
      emergency.refused(user.id(), "emergency.access.open", target, e).onFailure(ctx::fail);
      return;
    }
    Instant now = emergency.now();
    AccessSql.Access access = new AccessSql.Access(CareIds.next(), user.id(), user.displayName(), patientId, reason,
        dispatch, EmergencyContext.stamp(now), EmergencyContext.stamp(now.plus(emergency.accessFor())));
    // The view is read on a reader while the access is written, and shown only once the write is
    // durable: a refused open (over the hourly count, archived, not this node's) discloses nothing of
    // what was read, and an opened one waits for one commit, not for a commit and then a read.
    Future<JsonObject> view = emergency.services().database().read(c -> EmergencyView.read(c, records,
        emergency.consents(), access));
    Optional<KeyedRequest> keyed = KeyedRequest.of(ctx);
    emergency.services().database().write(c -> {
      Optional<Opened> opened = opened(c, user, access, now);
      // A retry with the request's Idempotency-Key is shown the access, kept with it in this
      // transaction, but not the view: that is read afresh (while the access lasts, and audited).
      opened.ifPresent(o -> keyed.ifPresent(k -> k.keepWithCreate(201, "application/json",
          o.access().toJson().encode())));
      return opened;
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
            && !"emergency.too_many_accesses".equals(coded.code())
            ? emergency.refused(user.id(), "emergency.access.open", target, coded) : Future.failedFuture(e))
        .compose(opened -> opened.isPresent() ? Future.succeededFuture(opened.get())
            : Future.<Opened>failedFuture(EmergencyErrors.rateLimited()))
        .compose(opened -> view.map(shown -> opened.access().toJson().put("view", shown)))
        .onSuccess(answer -> Answers.created(ctx, answer)).onFailure(ctx::fail);
  }

  /** An access opened. */
  private record Opened(AccessSql.Access access) {}

  /** The access, or none when the account is over its hourly count (flagged and audited instead). */
  private Optional<Opened> opened(Connection c, User user, AccessSql.Access access, Instant now)
      throws SQLException {
    String stamp = access.openedAt();
    String patientId = access.patientId();
    int lastHour = AccessSql.openedSince(c, user.id(), EmergencyContext.stamp(now.minusSeconds(3600)));
    if (lastHour >= emergency.accessesPerHour()) {
      AccessSql.flag(c, CareIds.next(), user.id(), user.displayName(), stamp, lastHour);
      emergency.audit().append(c, AuditEvent.refused(user.id(), "emergency.access.open",
          EmergencyContext.patientTarget(patientId), new JsonObject().put("reason", "emergency.too_many_accesses")
              .put("accessesInHour", lastHour)));
      return Optional.empty();
    }
    EmergencyRecords.Candidate patient = records.patient(c, patientId).orElseThrow(EmergencyErrors::notFound);
    if (patient.archived()) {
      throw EmergencyErrors.archived();
    }
    AccessSql.insert(c, access);
    String postId = records.postNotice(c, patient, new EmergencyRecords.NoticeAuthor(user.id(),
        user.displayName(), Role.EMERGENCY_RESPONDER.labelJa()),
        notice(user, access.reason(), access.dispatchNumber(), now));
    // The view comes with the access: in a moving ambulance every round trip counts, and the crew
    // opens an access only to read it. Its viewing is audited here, so it is durable with the access
    // before the view is shown (a view that then fails to read was audited, never the reverse). Both
    // rows are one statement.
    emergency.audit().appendAll(c, List.of(AuditEvent.success(user.id(), "emergency.access.opened",
        EmergencyContext.patientTarget(patientId), new JsonObject().put("access", access.id())
            .put("reason", access.reason()).put("dispatchNumber", access.dispatchNumber())
            .put("expiresAt", access.expiresAt()).put("post", postId)),
        AuditEvent.success(user.id(), "emergency.access.viewed",
            EmergencyContext.patientTarget(patientId), new JsonObject().put("access", access.id()))));
    return Optional.of(new Opened(access));
  }

  /** The timeline's notice: who, when, why. */
  private static String notice(User user, String reason, String dispatch, Instant now) {
    return "救急隊が緊急閲覧しました\n閲覧者: " + user.displayName() + "（" + Role.EMERGENCY_RESPONDER.labelJa() + "）\n日時: "
        + SHOWN.format(now) + "\n理由: " + reason + "\n出場番号: " + dispatch;
  }

  /** The limited view of an open access of the caller's own; expired, it is refused with its own code. */
  private void view(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String accessId = ctx.pathParam("accessId");
    Instant now = emergency.now();
    emergency.services().database().read(c -> {
      Optional<AccessSql.Access> found = AccessSql.byId(c, accessId).filter(a -> a.responderId().equals(user.id()));
      if (found.isEmpty()) {
        throw EmergencyErrors.notFound();
      }
      AccessSql.Access access = found.get();
      if (!now.isBefore(Instant.parse(access.expiresAt()))) {
        throw EmergencyErrors.expired();
      }
      return EmergencyView.read(c, records, emergency.consents(), access);
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
        ? emergency.refused(user.id(), "emergency.access.view", "emergency_access:" + accessId, coded)
        : Future.failedFuture(e))
        .compose(view -> emergency.audit().record(AuditEvent.success(user.id(), "emergency.access.viewed",
            EmergencyContext.patientTarget(view.getJsonObject("patient").getString("id")),
            new JsonObject().put("access", accessId))).map(ignored -> view))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

}
