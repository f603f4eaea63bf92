package jp.tsunagu.node.care.patients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.teams.TeamRoles;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/** Patients: the list with search and unread counts, registration, details, edits and archiving. */
public final class PatientRoutes implements RouteSet {

  private final CareContext care;

  public PatientRoutes(CareContext care) {
    this.care = care;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/patients").handler(CareFeature.PROFESSIONALS).handler(this::list);
    care.services().idempotency().guard(api.post("/patients").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::register);
    api.get("/patients/:boardId").handler(CareFeature.PROFESSIONALS).handler(this::show);
    api.put("/patients/:boardId").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf).handler(this::edit);
    api.post("/patients/:boardId/archive").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> setStatus(ctx, "archived"));
    api.post("/patients/:boardId/restore").handler(CareFeature.PROFESSIONALS).handler(AccessGuard::csrf)
        .handler(ctx -> setStatus(ctx, "active"));
  }

  PatientValidation validation() {
    return new PatientValidation(Set.copyOf(care.services().config().node().municipalities()), care.today());
  }

  private void list(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String query = CareInput.checkedText(ctx.request().getParam("q", ""), "検索語", 40);
    boolean archived = "true".equals(ctx.request().getParam("archived"));
    care.auditedRead(care.database().read(c -> PatientSql.mine(c, actor.userId(), query, archived)), actor,
            "care.patient.list", "user:" + actor.userId())
        .onSuccess(rows -> ctx.json(new JsonObject().put("patients", new JsonArray(rows))))
        .onFailure(ctx::fail);
  }

  private void register(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    CareInput input = CareInput.of(ctx);
    Patient.Details details = validation().validate(key -> stringField(input, key));
    String teamRole = input.oneOf("teamRole", "チームでの役割", TeamRoles.PATIENT);
    String id = CareIds.next();
    Answers.keepWithCreate(ctx, 201, Patient.class, Patient::toJson);
    care.database().write(c -> {
      if (PatientSql.visibleDuplicate(c, details, actor.userId())) {
        throw duplicateOfOwn();
      }
      String now = care.now();
      PatientSql.insert(c, id, details, actor.userId(), now);
      BoardSql.upsertMember(c, id, actor.userId(), teamRole, "active", actor.userId(), now);
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.patient.created", "patient:" + id, null));
      PatientDuplicates.flag(c, care.audit(), id, details, actor.userId(), teamRole, now);
      return PatientSql.byId(c, id).orElseThrow();
    }).recover(error -> auditedRepeat(actor, "care.patient.created", error,
            error instanceof CodedException e && e.code().equals("care.patient_duplicate") ? 1 : 0))
        .onSuccess(patient -> Answers.created(ctx, patient.toJson()))
        .onFailure(ctx::fail);
  }

  /** A registration refused as a repeat of the registrant's own patient(s) leaves a trace like every hit. */
  <T> Future<T> auditedRepeat(CareActor actor, String action, Throwable error, int repeats) {
    if (repeats == 0) {
      return Future.failedFuture(error);
    }
    return care.audit().record(AuditEvent.refused(actor.userId(), action, "user:" + actor.userId(),
        new JsonObject().put("reason", "duplicate_of_own").put("rows", repeats)))
        .transform(ignored -> Future.failedFuture(error));
  }

  /**
   * A registration repeating a patient of the registrant's own teams: she sees that patient, so she
   * may be told. A match with a patient she cannot see is never told (see {@link PatientDuplicates}).
   */
  static CodedException duplicateOfOwn() {
    return CodedException.conflict("care.patient_duplicate",
        "同じ氏名・生年月日の支援対象者が、あなたのチームにすでに登録されています。");
  }

  private void show(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String id = ctx.pathParam("boardId");
    care.member(actor, BoardKind.PATIENT, id, "care.patient.read")
        .compose(member -> care.auditedRead(care.database().read(c -> {
          JsonObject patient = PatientSql.byId(c, id).orElseThrow().toJson().put("myTeamRole", member.teamRole());
          return BoardSql.homeNode(c, id)
              .map(home -> PatientSql.homedElsewhere(patient, home)).orElse(patient);
        }), actor, "care.patient.read", "patient:" + id))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void edit(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String id = ctx.pathParam("boardId");
    CareInput input = CareInput.of(ctx);
    Patient.Details details = validation().validate(key -> stringField(input, key));
    care.member(actor, BoardKind.PATIENT, id, "care.patient.update").compose(member -> care.database().write(c -> {
      Patient current = PatientSql.byId(c, id).orElseThrow(CareErrors::notFound);
      if (current.archived()) {
        throw CareErrors.archived();
      }
      requireHomedHere(c, id);
      PatientSql.update(c, id, details, care.now());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.patient.updated", "patient:" + id, null));
      care.recordEvent(c, id, care.events().patient(c, id, actor.userId()));
      return PatientSql.byId(c, id).orElseThrow();
    })).onSuccess(patient -> ctx.json(patient.toJson())).onFailure(ctx::fail);
  }

  private void setStatus(RoutingContext ctx, String status) {
    CareActor actor = CareActor.of(ctx);
    String id = ctx.pathParam("boardId");
    care.member(actor, BoardKind.PATIENT, id, "care.patient." + status).compose(member -> care.database().write(c -> {
      requireHomedHere(c, id);
      PatientSql.setStatus(c, id, status, care.now());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.patient." + status, "patient:" + id, null));
      care.recordEvent(c, id, care.events().patient(c, id, actor.userId()));
      return PatientSql.byId(c, id).orElseThrow();
    })).onSuccess(patient -> ctx.json(patient.toJson())).onFailure(ctx::fail);
  }

  /** A patient of another municipality's node is registered and changed there, not on a replica. */
  private static void requireHomedHere(java.sql.Connection c, String id) throws java.sql.SQLException {
    if (BoardSql.replica(c, id)) {
      throw CodedException.conflict("care.replica_read_only",
          "他の市町村の支援対象者です。基本情報は住所地の市町村のノードで変更されます。");
    }
  }

  static String stringField(CareInput input, String key) {
    Object value = input.json().getValue(key);
    if (value != null && !(value instanceof String)) {
      throw CareInput.malformed(key);
    }
    return (String) value;
  }
}
