package jp.tsunagu.node.care.patients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.RequestIds;
import jp.tsunagu.node.care.teams.TeamRoles;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.web.Answers;

/**
 * 患者一括登録: the whole CSV is validated first, then either every row goes in (the uploader joins
 * each new team with the chosen role) or none does, with a report of every bad row. As for one
 * registration, only a repeat of a patient in the uploader's own teams is reported; a match with any
 * other patient goes in and is flagged for municipal staff ({@link PatientDuplicates}).
 */
public final class PatientImportRoutes implements RouteSet {

  /** A refused file: every bad row with its line number, code and message. */
  static final class Rejected extends CodedException {
    private final List<JsonObject> rows;

    Rejected(List<JsonObject> rows) {
      super(Kind.REJECTED, "care.csv_rejected", rows.size() + " 行に問題があるため、1件も登録していません。",
          new JsonObject().put("rows", new JsonArray(rows)));
      this.rows = rows;
    }
  }

  private final CareContext care;
  private final PatientRoutes patients;

  public PatientImportRoutes(CareContext care) {
    this.care = care;
    this.patients = new PatientRoutes(care);
  }

  /** A CSV file, not a JSON request: the upload limit, ahead of the listener's general body handler. */
  @Override
  public void mountFilters(Router root) {
    root.post("/api/v1/patients/import").order(-1).handler(io.vertx.ext.web.handler.BodyHandler.create(false)
        .setBodyLimit(care.services().config().limits().uploadBytes()));
  }

  @Override
  public void mountApi(Router api) {
    care.services().idempotency().guard(api.post("/patients/import").handler(CareFeature.PROFESSIONALS)
        .handler(AccessGuard::csrf)).handler(this::importCsv);
  }

  private void importCsv(RoutingContext ctx) {
    CareActor actor = CareActor.of(ctx);
    String teamRole = ctx.request().getParam("teamRole", "");
    if (!TeamRoles.PATIENT.contains(teamRole)) {
      throw CareInput.malformed("チームでの役割");
    }
    List<PatientCsv.Row> rows = PatientCsv.read(ctx.body().buffer() == null ? new byte[0]
        : ctx.body().buffer().getBytes());
    PatientValidation validation = patients.validation();
    List<JsonObject> problems = new ArrayList<>();
    List<Patient.Details> valid = new ArrayList<>();
    List<Integer> validLines = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (PatientCsv.Row csvRow : rows) {
      int line = csvRow.line();
      Map<String, String> row = csvRow.fields();
      row.computeIfPresent("birthDate", (k, v) -> PatientCsv.normaliseDate(v));
      try {
        Patient.Details details = validation.validate(row::get);
        Integer first = seen.putIfAbsent(details.identityKey(), line);
        if (first != null) {
          throw CodedException.invalid("care.csv_duplicate_row", first + " 行目と同じ方（氏名・生年月日）です。");
        }
        valid.add(details);
        validLines.add(line);
      } catch (CodedException e) {
        problems.add(problem(line, e));
      }
    }
    if (!problems.isEmpty()) {
      reject(ctx, new Rejected(problems));
      return;
    }
    Answers.keepWithCreate(ctx);
    care.database().write(c -> {
      List<JsonObject> existing = new ArrayList<>();
      for (int i = 0; i < valid.size(); i++) {
        if (PatientSql.visibleDuplicate(c, valid.get(i), actor.userId())) {
          existing.add(problem(validLines.get(i), PatientRoutes.duplicateOfOwn()));
        }
      }
      if (!existing.isEmpty()) {
        throw new Rejected(existing);
      }
      String now = care.now();
      List<String> ids = new ArrayList<>();
      for (Patient.Details details : valid) {
        String id = CareIds.next();
        PatientSql.insert(c, id, details, actor.userId(), now);
        BoardSql.upsertMember(c, id, actor.userId(), teamRole, "active", actor.userId(), now);
        PatientDuplicates.flag(c, care.audit(), id, details, actor.userId(), teamRole, now);
        ids.add(id);
      }
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.patient.imported", "user:" + actor.userId(),
          new JsonObject().put("patients", new JsonArray(ids))));
      return new JsonObject().put("imported", ids.size()).put("patients", new JsonArray(ids));
    }).onSuccess(imported -> Answers.created(ctx, imported))
        .onFailure(error -> {
          if (error instanceof Rejected rejected) {
            patients.auditedRepeat(actor, "care.patient.imported", error, rejected.rows.size())
                .onComplete(ignored -> reject(ctx, rejected));
          } else {
            ctx.fail(error);
          }
        });
  }

  private static JsonObject problem(int line, CodedException e) {
    return new JsonObject().put("row", line).put("code", e.code()).put("message", e.getMessage());
  }

  /** The error shape plus the per-row report, which the refusal carries as its details. */
  private static void reject(RoutingContext ctx, Rejected rejected) {
    ctx.fail(rejected);
  }
}
