package jp.tsunagu.node.vaccination;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Planning home vaccination (在宅接種): a member of the patient's team marks a vaccine as 希望, plans
 * it (a date and the professional who goes, a member of the team), and a dose recorded for it marks
 * it 接種済み; or it is 見送り with a reason. Each professional sees her own open plans, and the
 * plans of her facility.
 */
final class Plans {

  private final NodeServices services;
  private final AuditLog audit;
  private final PatientAccess patients;
  private final TimelineNotices notices;

  Plans(NodeServices services, AuditLog audit, PatientAccess patients, TimelineNotices notices) {
    this.services = services;
    this.audit = audit;
    this.patients = patients;
    this.notices = notices;
  }

  /**
   * 希望: a new open plan of a vaccine (one open plan per vaccine and patient), marked by a member of
   * the patient's team, or by 行政 ({@code staff}) for a patient registered on this node.
   */
  Future<JsonObject> wish(String userId, boolean staff, String patientId, JsonObject body) {
    Future<?> allowed = staff ? patients.registeredForStaff().compose(own -> own.stream()
        .anyMatch(p -> p.id().equals(patientId)) ? Future.succeededFuture()
        : audit.record(AuditEvent.refused(userId, "vaccination.plan.created", "patient:" + patientId,
            new JsonObject().put("reason", "not_registered_here"))).transform(ignored -> Future.failedFuture(
                CodedException.notFound("care.not_found", "指定の患者は見つかりません。"))))
        : patients.forMember(userId, patientId, "vaccination.plan.created");
    return allowed.compose(member ->
        services.database().write(c -> {
          String vaccine = DoseInput.text(body, "vaccine");
          if (VaccineSql.own(c, vaccine).isEmpty()) {
            throw CodedException.invalid("vaccination.unknown_vaccine", "一覧にないワクチンです。");
          }
          if (PlanSql.open(c, patientId, vaccine).isPresent()) {
            throw CodedException.conflict("vaccination.plan_exists", "このワクチンの希望・予定はすでにあります。");
          }
          PlanSql.Plan plan = new PlanSql.Plan(VaccinationIds.next(), patientId, vaccine, PlanStatus.WISHED, null,
              null, "", "", "", services.clock().instant().toString());
          PlanSql.insert(c, plan, userId);
          audit.append(c, AuditEvent.success(userId, "vaccination.plan.created", "patient:" + patientId,
              new JsonObject().put("plan", plan.id()).put("vaccine", vaccine)));
          return plan.toJson();
        }));
  }

  /** 予定: a date and who goes (a member of the team; the caller when none is named). */
  Future<JsonObject> schedule(String userId, String planId, JsonObject body) {
    return change(userId, planId, "vaccination.plan.scheduled", (c, plan) -> {
      LocalDate date;
      try {
        date = LocalDate.parse(DoseInput.text(body, "plannedFor"));
      } catch (DateTimeParseException e) {
        throw CodedException.invalid("validation.bad_date", "予定日を入力してください。");
      }
      if (date.isBefore(LocalDate.now(services.clock().withZone(java.time.ZoneId.of("Asia/Tokyo"))))) {
        throw CodedException.invalid("vaccination.plan_in_past", "予定日が過去の日付です。");
      }
      String assignee = DoseInput.text(body, "assignee").isEmpty() ? userId : DoseInput.text(body, "assignee");
      if (!notices.activeMember(c, plan.patientId(), assignee)) {
        throw CodedException.invalid("vaccination.assignee_not_member", "接種に行く方は支援チームのメンバーから選んでください。");
      }
      JsonObject profile = notices.profile(c, assignee);
      return new PlanSql.Plan(plan.id(), plan.patientId(), plan.vaccine(), PlanStatus.PLANNED, date.toString(),
          assignee, (profile.getString("familyName", "") + " " + profile.getString("givenName", "")).strip(),
          profile.getString("facility", ""), "", services.clock().instant().toString());
    });
  }

  /** 見送り with its reason. */
  Future<JsonObject> decline(String userId, String planId, JsonObject body) {
    return change(userId, planId, "vaccination.plan.declined", (c, plan) -> {
      String reason = DoseInput.text(body, "reason");
      if (reason.isEmpty()) {
        throw CodedException.invalid("validation.required", "見送りの理由を入力してください。");
      }
      return new PlanSql.Plan(plan.id(), plan.patientId(), plan.vaccine(), PlanStatus.DECLINED, plan.plannedFor(),
          plan.assignee(), plan.assigneeName(), plan.assigneeFacility(), reason, services.clock().instant().toString());
    });
  }

  /** The open plan of a dose's vaccine, if any, is done once the dose is recorded. */
  static void doseGiven(Connection c, Dose dose, String userId, String at) throws SQLException {
    java.util.Optional<PlanSql.Plan> open = PlanSql.open(c, dose.patientId(), dose.vaccine());
    if (open.isPresent()) {
      PlanSql.Plan p = open.get();
      PlanSql.update(c, new PlanSql.Plan(p.id(), p.patientId(), p.vaccine(), PlanStatus.DONE, p.plannedFor(),
          p.assignee(), p.assigneeName(), p.assigneeFacility(), "", at), userId);
    }
  }

  /** Open plans: {@code mine} (where I go) or {@code facility} (where anyone of my facility goes). */
  Future<JsonObject> list(String userId, String scope) {
    return services.database().read(c -> {
      String facility = notices.profile(c, userId).getString("facility", "");
      java.util.List<PlanSql.Plan> plans = "facility".equals(scope)
          ? (facility.isEmpty() ? java.util.List.of() : PlanSql.openOf(c, "facility", facility))
          : PlanSql.openOf(c, "assignee", userId);
      JsonArray rows = new JsonArray();
      for (PlanSql.Plan plan : plans) {
        if (!notices.activeMember(c, plan.patientId(), userId)) {
          continue; // a colleague's patient whose team I am not in: not mine to see
        }
        rows.add(plan.toJson().put("patientName", patients.known(c, plan.patientId())
            .map(k -> k.summary().name()).orElse("")).put("vaccineName", VaccineSql.byCode(c, plan.vaccine())
            .map(VaccineSql.Vaccine::nameJa).orElse(plan.vaccine())));
      }
      return new JsonObject().put("scope", "facility".equals(scope) ? "facility" : "mine").put("facility", facility)
          .put("plans", rows);
    }).compose(found -> audit.record(AuditEvent.success(userId, "vaccination.plans.read", "vaccination:plans",
        new JsonObject().put("scope", found.getString("scope")))).map(found));
  }

  /**
   * For 行政: the patients registered on this node with their open plans, to mark who needs home
   * vaccination (the read audited).
   */
  Future<JsonObject> registered(String staffId) {
    return patients.registeredForStaff().compose(own -> services.database().read(c -> {
      JsonArray rows = new JsonArray();
      java.util.Map<String, String> names = new java.util.HashMap<>();
      VaccineSql.known(c).forEach(v -> names.put(v.code(), v.nameJa()));
      for (PatientAccess.Registered p : own) {
        rows.add(new JsonObject().put("id", p.id()).put("name", p.name()).put("birthDate", p.birthDate())
            .put("plans", new JsonArray(PlanSql.ofPatient(c, p.id()).stream()
                .filter(plan -> PlanStatus.WISHED.equals(plan.status()) || PlanStatus.PLANNED.equals(plan.status()))
                .map(plan -> plan.toJson().put("vaccineName", names.getOrDefault(plan.vaccine(), plan.vaccine())))
                .toList())));
      }
      return new JsonObject().put("patients", rows);
    })).compose(found -> audit.record(AuditEvent.success(staffId, "vaccination.registered.read",
        "vaccination:plans", new JsonObject().put("patients", found.getJsonArray("patients").size()))).map(found));
  }

  @FunctionalInterface
  private interface Change {
    PlanSql.Plan apply(Connection c, PlanSql.Plan plan) throws SQLException;
  }

  private Future<JsonObject> change(String userId, String planId, String action, Change change) {
    return services.database().read(c -> {
      java.util.Optional<PlanSql.Plan> plan = PlanSql.byId(c, planId);
      return plan.isPresent() && notices.activeMember(c, plan.get().patientId(), userId) ? plan
          : java.util.Optional.<PlanSql.Plan>empty();
    }).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : audit.record(AuditEvent.refused(userId, action, "vaccination:plan:" + planId,
            new JsonObject().put("reason", "not_a_member"))).transform(ignored -> Future.<PlanSql.Plan>failedFuture(
                CodedException.notFound("care.not_found", "指定の予定は見つかりません。"))))
        .compose(found -> services.database().write(c -> {
          PlanSql.Plan current = PlanSql.byId(c, planId).orElseThrow();
          if (!PlanStatus.WISHED.equals(current.status()) && !PlanStatus.PLANNED.equals(current.status())) {
            throw CodedException.conflict("vaccination.plan_closed", "この予定は終了しています（接種済み・見送り）。");
          }
          PlanSql.Plan changed = change.apply(c, current);
          PlanSql.update(c, changed, userId);
          audit.append(c, AuditEvent.success(userId, action, "patient:" + current.patientId(),
              new JsonObject().put("plan", planId).put("status", changed.status())));
          return changed.toJson();
        }));
  }
}
