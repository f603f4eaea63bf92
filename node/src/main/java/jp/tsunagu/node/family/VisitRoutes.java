package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
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
 * profession) for the family to see in the notebook, and cancels them. On the patient's home node only,
 * where the family's accounts are. Every plan, cancellation and read is audited against the patient.
 */
final class VisitRoutes implements RouteSet {

  private final FamilyContext family;

  VisitRoutes(FamilyContext family) {
    this.family = family;
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

  private void plan(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String target = FamilyContext.patientTarget(patientId);
    VisitSql.Visit visit;
    try {
      visit = parsed(patientId, new CareInput(JsonBodies.required(ctx)));
    } catch (CodedException e) {
      family.patients().forMember(userId, patientId, "family.visit.plan")
          .compose(member -> family.refused(userId, "family.visit.plan", target, e)).onFailure(ctx::fail);
      return;
    }
    String now = family.now().toString();
    family.patients().forMember(userId, patientId, "family.visit.plan").compose(patient ->
        family.services().database().write(c -> {
          if (family.notices().replica(c, patientId)) {
            throw FamilyErrors.homeNodeOnly();
          }
          VisitSql.insert(c, visit, userId, now);
          family.audit().append(c, AuditEvent.success(userId, "family.visit.planned", target,
              new JsonObject().put("visit", visit.id()).put("date", visit.date())));
          return visit;
        })).recover(e -> e instanceof CodedException coded && "family.home_node_only".equals(coded.code())
            ? family.<VisitSql.Visit>refused(userId, "family.visit.plan", target, coded) : Future.failedFuture(e))
        .onSuccess(v -> Answers.created(ctx, json(v))).onFailure(ctx::fail);
  }

  private VisitSql.Visit parsed(String patientId, CareInput in) {
    String date = in.optionalText("date", "訪問日", 10);
    String from = in.optionalText("from", "開始時刻", 5);
    String to = in.optionalText("to", "終了時刻", 5);
    String profession = in.optionalText("profession", "職種", 40);
    LocalDate today = LocalDate.now(family.services().clock().withZone(FamilyContext.JAPAN));
    try {
      LocalDate day = LocalDate.parse(date);
      if (day.isBefore(today) || day.isAfter(today.plusYears(1))) {
        throw FamilyErrors.visitDateInvalid();
      }
    } catch (DateTimeParseException e) {
      throw FamilyErrors.visitDateInvalid();
    }
    try {
      if (!from.matches("\\d{2}:\\d{2}") || !to.matches("\\d{2}:\\d{2}")
          || !LocalTime.parse(from).isBefore(LocalTime.parse(to))) {
        throw FamilyErrors.visitTimeInvalid();
      }
    } catch (DateTimeParseException e) {
      throw FamilyErrors.visitTimeInvalid();
    }
    if (ReferenceData.get().profession(profession).isEmpty()) {
      throw FamilyErrors.visitProfessionUnknown();
    }
    return new VisitSql.Visit(jp.tsunagu.node.identity.Secrets.id(), patientId, date, from, to, profession);
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

  private void cancel(RoutingContext ctx) {
    String userId = Principal.required(ctx).user().id();
    String patientId = ctx.pathParam("patientId");
    String target = FamilyContext.patientTarget(patientId);
    String visitId = ctx.pathParam("visitId");
    String now = family.now().toString();
    family.patients().forMember(userId, patientId, "family.visit.cancel").compose(p ->
        family.services().database().write(c -> {
          boolean cancelled = VisitSql.cancel(c, patientId, visitId, now);
          if (cancelled) {
            family.audit().append(c, AuditEvent.success(userId, "family.visit.cancelled", target,
                new JsonObject().put("visit", visitId)));
          }
          return cancelled;
        })).compose(cancelled -> cancelled ? Future.<Void>succeededFuture()
            : family.<Void>refused(userId, "family.visit.cancel", target, FamilyErrors.visitNotFound()))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
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
