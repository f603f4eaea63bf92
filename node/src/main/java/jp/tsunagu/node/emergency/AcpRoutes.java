package jp.tsunagu.node.emergency;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.EmergencyRecords;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.identity.User;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The 人生会議 and the medical facts a crew needs (病歴・既往歴, medication, allergies), on the patient
 * page, for the active members of the patient's team: anyone else gets care's 404, audited. Saving
 * the plan adds a version (the same plan again adds none); every version stays readable.
 */
final class AcpRoutes implements RouteSet {

  private final EmergencyContext emergency;
  private final EmergencyRecords records;

  AcpRoutes(EmergencyContext emergency) {
    this.emergency = emergency;
    this.records = emergency.records();
  }

  @Override
  public void mountApi(Router api) {
    api.get("/patients/:boardId/acp").handler(CareFeature.PROFESSIONALS).handler(this::current);
    api.get("/patients/:boardId/acp/versions").handler(CareFeature.PROFESSIONALS).handler(this::versions);
    api.put("/patients/:boardId/acp").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::save);
    api.put("/patients/:boardId/medical").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(this::saveMedical);
  }

  private void current(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String patientId = ctx.pathParam("boardId");
    readAsMember(user, patientId, "emergency.acp.read", c -> state(c, patientId))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void versions(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String patientId = ctx.pathParam("boardId");
    readAsMember(user, patientId, "emergency.acp.versions", c -> {
      JsonArray versions = new JsonArray();
      AcpSql.versions(c, patientId).forEach(v -> versions.add(v.toJson()));
      return new JsonObject().put("versions", versions);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String patientId = ctx.pathParam("boardId");
    AdvanceCarePlan plan = AdvanceCarePlan.from(JsonBodies.required(ctx), emergency.today());
    writeAsMember(user, patientId, "emergency.acp.update", c -> {
      Optional<AcpSql.Version> before = AcpSql.current(c, patientId);
      if (before.isEmpty() || !before.get().plan().equals(plan)) {
        int version = AcpSql.insert(c, patientId, plan, user.id(), user.displayName(), emergency.now().toString());
        emergency.audit().append(c, AuditEvent.success(user.id(), "emergency.acp.updated",
            EmergencyContext.patientTarget(patientId), new JsonObject().put("version", version)));
      }
      return state(c, patientId);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void saveMedical(RoutingContext ctx) {
    User user = Principal.required(ctx).user();
    String patientId = ctx.pathParam("boardId");
    EmergencyRecords.Medical medical = medical(new CareInput(JsonBodies.required(ctx)));
    writeAsMember(user, patientId, "emergency.medical.update", c -> {
      EmergencyRecords.Medical before = records.medical(c, patientId);
      if (!before.equals(medical)) {
        records.updateMedical(c, patientId, medical);
        // The text before the change stays in the audit log, as for every edit of patient data.
        emergency.audit().append(c, AuditEvent.success(user.id(), "emergency.medical.updated",
            EmergencyContext.patientTarget(patientId), new JsonObject().put("before", before.toJson())));
      }
      return state(c, patientId);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static EmergencyRecords.Medical medical(CareInput in) {
    FieldProblems p = new FieldProblems();
    String history = p.check("medicalHistory", () -> in.optionalText("medicalHistory", "病歴・既往歴", 2000));
    String medications = p.check("medications", () -> in.optionalText("medications", "服薬中の薬", 2000));
    String allergies = p.check("allergies", () -> in.optionalText("allergies", "アレルギー", 1000));
    p.throwIfAny();
    return new EmergencyRecords.Medical(history, medications, allergies);
  }

  /** The tab's data: the current plan (or none), how many versions, and the medical facts. */
  private JsonObject state(java.sql.Connection c, String patientId) throws java.sql.SQLException {
    Optional<AcpSql.Version> current = AcpSql.current(c, patientId);
    return new JsonObject().put("current", current.map(AcpSql.Version::toJson).orElse(null))
        .put("versions", current.map(AcpSql.Version::version).orElse(0))
        .put("resuscitationOptions", options())
        .put("editable", !records.replica(c, patientId))
        .put("medical", records.medical(c, patientId).toJson());
  }

  private static JsonArray options() {
    JsonArray options = new JsonArray();
    for (String code : java.util.List.of("full", "limited", "dnar", "undecided")) {
      options.add(new JsonObject().put("code", code).put("label", AdvanceCarePlan.RESUSCITATION.get(code)));
    }
    return options;
  }

  /** A member's read, audited; a non-member gets care's 404, audited as refused, and nothing is read. */
  private Future<JsonObject> readAsMember(User user, String patientId, String action,
      jp.tsunagu.node.storage.SqlWork<JsonObject> work) {
    String target = EmergencyContext.patientTarget(patientId);
    return emergency.services().database().read(c -> records.activeMember(c, patientId, user.id())
        ? Optional.of(work.run(c)) : Optional.<JsonObject>empty()).compose(read -> read.isPresent()
        ? emergency.audit().record(AuditEvent.success(user.id(), action, target, null)).map(ignored -> read.get())
        : emergency.refused(user.id(), action, target, CareErrors.notFound()));
  }

  /**
   * A member's write on this node's own, open patient: a partner's replica is its home node's to change
   * and an archived patient is read only, as everywhere in care.
   */
  private Future<JsonObject> writeAsMember(User user, String patientId, String action,
      jp.tsunagu.node.storage.SqlWork<JsonObject> work) {
    String target = EmergencyContext.patientTarget(patientId);
    return emergency.services().database().read(c -> records.activeMember(c, patientId, user.id()))
        .compose(member -> member ? Future.<Void>succeededFuture()
            : emergency.refused(user.id(), action, target, CareErrors.notFound()))
        .compose(ignored -> emergency.services().database().write(c -> {
          if (!records.activeMember(c, patientId, user.id())) {
            throw CareErrors.notFound();
          }
          if (records.replica(c, patientId)) {
            throw EmergencyErrors.homeNodeOnly();
          }
          if (records.patient(c, patientId).map(EmergencyRecords.Candidate::archived).orElse(true)) {
            throw CareErrors.archived();
          }
          return work.run(c);
        }));
  }
}
