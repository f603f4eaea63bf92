package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * 訪問予定: a member of the patient's team plans visits (a day within a year, a time window, the visiting
 * profession) for the family to see in the notebook, and cancels them. A board shared with partner
 * nodes carries its visits to their copies, and a partner's member plans and cancels hers through the
 * home node ({@link VisitEvents}), where the family's accounts are. Every plan, cancellation and read is
 * audited against the patient.
 */
final class VisitRoutes implements RouteSet {

  private final FamilyContext family;
  private final VisitEvents events;

  VisitRoutes(FamilyContext family, VisitEvents events) {
    this.family = family;
    this.events = events;
  }

  @Override
  public void mountApi(Router api) {
    var professionals = AccessGuard.roles(Role.PROFESSIONAL);
    family.services().idempotency().guard(api.post("/patients/:patientId/family/visits")
        .handler(professionals).handler(AccessGuard::csrf)).handler(this::plan);
    api.get("/patients/:patientId/family/visits").handler(professionals).handler(this::list);
    api.delete("/patients/:patientId/family/visits/:visitId").handler(professionals).handler(AccessGuard::csrf)
        .handler(this::cancel);
  }

  /**
   * On the home node the visit is planned now (and sent to the board's partners); on a partner's copy
   * it is submitted to the home node, which checks it, and shows once the home node has taken it.
   */
  private void plan(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String target = FamilyContext.patientTarget(patientId);
    VisitSql.Visit visit;
    try {
      CareInput in = new CareInput(JsonBodies.required(ctx));
      visit = VisitForm.checked(jp.tsunagu.node.identity.Secrets.id(), patientId, in.optionalText("date", "訪問日", 10),
          in.optionalText("from", "開始時刻", 5), in.optionalText("to", "終了時刻", 5),
          in.optionalText("profession", "職種", 40),
          Optional.of(LocalDate.now(family.services().clock().withZone(FamilyContext.JAPAN))));
    } catch (CodedException e) {
      family.patients().forMember(userId, patientId, "family.visit.plan")
          .compose(member -> family.refused(userId, "family.visit.plan", target, e)).onFailure(ctx::fail);
      return;
    }
    String now = family.now().toString();
    Answers.keepWithCreate(ctx);
    family.patients().forMember(userId, patientId, "family.visit.plan").compose(patient ->
        family.services().database().write(c -> {
          boolean copy = family.notices().replica(c, patientId);
          if (!copy) {
            VisitSql.insert(c, visit, userId, now);
          }
          events.recordPlanned(c, visit, userId, now);
          family.audit().append(c, AuditEvent.success(userId, copy ? "family.visit.submitted" : "family.visit.planned",
              target, new JsonObject().put("visit", visit.id()).put("date", visit.date())));
          return copy ? json(visit).put("syncState", "pending") : json(visit);
        }))
        .onSuccess(v -> Answers.created(ctx, v)).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    family.patients().forMember(userId, patientId, "family.visits.read")
        .compose(p -> family.services().database().read(c -> coming(c, patientId)))
        .compose(list -> family.audit().record(AuditEvent.success(userId, "family.visits.read",
            FamilyContext.patientTarget(patientId), null)).map(list))
        .onSuccess(list -> ctx.json(new JsonObject().put("visits", list))).onFailure(ctx::fail);
  }

  /**
   * On the home node any member of the team cancels a visit (and the board's partners are told); on a
   * partner's copy a member cancels only her own, by submitting it to the home node.
   */
  private void cancel(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String target = FamilyContext.patientTarget(patientId);
    String visitId = ctx.pathParam("visitId");
    String now = family.now().toString();
    family.patients().forMember(userId, patientId, "family.visit.cancel").compose(p ->
        family.services().database().write(c -> {
          Optional<VisitSql.Stored> visit = VisitSql.byId(c, visitId)
              .filter(v -> v.visit().patientId().equals(patientId) && v.cancelledAt().isEmpty());
          if (visit.isEmpty()) {
            throw FamilyErrors.visitNotFound();
          }
          boolean copy = family.notices().replica(c, patientId);
          if (copy && !visit.get().plannedBy().equals(userId)) {
            throw FamilyErrors.visitNotOwn();
          }
          if (!copy) {
            VisitSql.cancel(c, patientId, visitId, now);
          }
          events.recordCancelled(c, patientId, visitId, userId, now);
          family.audit().append(c, AuditEvent.success(userId, copy ? "family.visit.cancel_submitted"
              : "family.visit.cancelled", target, new JsonObject().put("visit", visitId)));
          return copy;
        })).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal()
            ? family.<Boolean>refused(userId, "family.visit.cancel", target, coded) : Future.failedFuture(e))
        .onSuccess(copy -> {
          if (copy) {
            ctx.response().setStatusCode(202);
            ctx.json(new JsonObject().put("id", visitId).put("syncState", "pending"));
          } else {
            ctx.response().setStatusCode(204).end();
          }
        }).onFailure(ctx::fail);
  }

  /** The coming visits as the team and the family see them: day, window and the profession's name. */
  static JsonArray coming(java.sql.Connection c, String patientId) throws java.sql.SQLException {
    String today = LocalDate.now(FamilyContext.JAPAN).toString();
    List<JsonObject> visits = VisitSql.coming(c, patientId, today).stream().map(VisitRoutes::json).toList();
    return new JsonArray(visits);
  }

  private static JsonObject json(VisitSql.Visit v) {
    return new JsonObject().put("id", v.id()).put("date", v.date()).put("from", v.from()).put("to", v.to())
        .put("profession", v.profession()).put("professionLabel", ReferenceData.get().profession(v.profession())
            .map(ReferenceData.Profession::nameJa).orElse(v.profession()));
  }
}
