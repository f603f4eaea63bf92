package jp.tsunagu.node.vaccination;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * Recording, correcting and reading a patient's doses, for active members of the patient's team
 * only (everyone else the care feature's 404, audited). A dose of a patient homed here is written
 * here, with its notice on the timeline (and the photos as the notice's attachments); a dose of a
 * partner's patient is written on this node's copy and submitted to the home node as a team event
 * ({@link DoseEvents}), which checks it again.
 */
final class Doses {

  private final NodeServices services;
  private final AuditLog audit;
  private final PatientAccess patients;
  private final TimelineNotices notices;

  Doses(NodeServices services, AuditLog audit, PatientAccess patients, TimelineNotices notices) {
    this.services = services;
    this.audit = audit;
    this.patients = patients;
    this.notices = notices;
  }

  Future<JsonObject> record(Vertx vertx, String userId, String patientId, JsonObject body) {
    return patients.forMember(userId, patientId, "vaccination.dose.recorded").compose(member -> {
      Dose dose = DoseInput.of(body, VaccinationIds.next(), patientId);
      return services.database().write(c -> save(c, userId, dose));
    }).onSuccess(saved -> notices.committed(vertx, patientId, saved.getString("noticeId")));
  }

  JsonObject save(Connection c, String userId, Dose dose) throws SQLException {
    String patientId = dose.patientId();
    Instant now = Instant.now(services.clock());
    if (VaccineSql.own(c, dose.vaccine()).isEmpty()) {
      // A partner's vaccine reached this node with a partner's dose: it is not this node's staff's to choose.
      throw CodedException.invalid("vaccination.unknown_vaccine", "一覧にないワクチンです。ワクチンを選び直してください。");
    }
    DoseRules.check(c, dose, birthDate(c, patientId), now, Optional.empty());
    if (!notices.open(c, patientId)) {
      throw CodedException.conflict("vaccination.patient_archived", "記録が終了した患者には接種を記録できません。");
    }
    JsonObject author = notices.profile(c, userId);
    String vaccineName = VaccineSql.byCode(c, dose.vaccine()).orElseThrow().nameJa();
    String text = DoseNotice.body(dose, vaccineName, author, false);
    List<String> photos = photos(dose);
    String noticeId;
    boolean replica = notices.replica(c, patientId);
    if (replica) {
      noticeId = TimelineNotices.newId();
      notices.postCarried(c, patientId, noticeId, userId, author, text, now.toString());
      notices.keepLive(c, patientId, noticeId);
      notices.attach(c, noticeId, userId, photos);
    } else {
      noticeId = notices.post(c, patientId, userId, text, photos).orElseThrow();
    }
    DoseSql.insert(c, dose, noticeId, userId, now.toString(), services.config().node().name());
    Plans.doseGiven(c, dose, userId, now.toString());
    notices.recordEvent(c, patientId, DoseEvents.TYPE, List.of(dose.id()),
        DoseEvents.data(author, dose, vaccineName, noticeId, now));
    audit.append(c, AuditEvent.success(userId, "vaccination.dose.recorded", "patient:" + patientId,
        new JsonObject().put("dose", dose.id()).put("vaccine", dose.vaccine()).put("doseNumber", dose.doseNumber())));
    return view(c, DoseSql.byId(c, dose.id()).orElseThrow()).put("noticeId", noticeId)
        .put("syncState", replica ? "pending" : "recorded");
  }

  /**
   * A corrected dose (a new version; the versions before it are kept and listed). The values are
   * checked as when recorded, the dose number and vaccine stay; the team is told by a notice.
   */
  Future<JsonObject> correct(Vertx vertx, String userId, String doseId, JsonObject body) {
    return visible(userId, doseId, "vaccination.dose.corrected").compose(before -> {
      Dose dose = DoseInput.of(body, doseId, before.patientId());
      return services.database().write(c -> {
        DoseSql.Stored current = DoseSql.byId(c, doseId).orElseThrow();
        DoseRules.check(c, dose, birthDate(c, dose.patientId()), Instant.now(services.clock()), Optional.of(current));
        if (!notices.open(c, dose.patientId()) || notices.replica(c, dose.patientId())) {
          throw CodedException.conflict("vaccination.not_correctable_here",
              "この記録は患者の登録先のノードで修正してください。");
        }
        String at = services.clock().instant().toString();
        int version = DoseSql.correct(c, current, dose, userId, at);
        notices.recordEvent(c, dose.patientId(), DoseCorrections.TYPE, List.of(doseId),
            DoseCorrections.data(notices.profile(c, userId), dose, version, at));
        String vaccineName = VaccineSql.byCode(c, dose.vaccine()).orElseThrow().nameJa();
        String noticeId = notices.post(c, dose.patientId(), userId,
            DoseNotice.body(dose, vaccineName, notices.profile(c, userId), true), photos(dose)).orElseThrow();
        audit.append(c, AuditEvent.success(userId, "vaccination.dose.corrected", "patient:" + dose.patientId(),
            new JsonObject().put("dose", doseId).put("version", version).put("previous", current.data())));
        return view(c, DoseSql.byId(c, doseId).orElseThrow()).put("noticeId", noticeId);
      });
    }).onSuccess(saved -> notices.committed(vertx, saved.getString("patientId"), saved.getString("noticeId")));
  }

  /** An adverse reaction (副反応) added later: {@code none}, or a kind with its onset and outcome. */
  Future<JsonObject> react(String userId, String doseId, JsonObject body) {
    return visible(userId, doseId, "vaccination.reaction.recorded").compose(dose -> {
      DoseSql.Reaction reaction = ReactionEvents.check(dose, VaccinationIds.next(), body, userId,
          services.clock().instant().toString());
      return services.database().write(c -> {
        DoseSql.insertReaction(c, reaction);
        // On a shared team the reaction reaches the other nodes as the dose did (the home node checks
        // a partner's again); on a team of this node only, nothing is sent.
        notices.recordEvent(c, dose.patientId(), ReactionEvents.TYPE, List.of(reaction.id(), doseId),
            ReactionEvents.data(notices.profile(c, userId), reaction));
        audit.append(c, AuditEvent.success(userId, "vaccination.reaction.recorded", "patient:" + dose.patientId(),
            new JsonObject().put("dose", doseId).put("kind", reaction.kind())));
        return reaction.toJson();
      });
    });
  }

  /** A patient's doses, each with its reactions and versions, and the per-vaccine status (audited). */
  Future<JsonObject> history(String userId, String patientId) {
    return patients.forMember(userId, patientId, "vaccination.history.read").compose(member ->
        services.database().read(c -> {
          JsonArray doses = new JsonArray();
          for (DoseSql.Stored d : DoseSql.ofPatient(c, patientId)) {
            doses.add(view(c, d).put("versions", new JsonArray(DoseSql.versions(c, d.id()))));
          }
          return new JsonObject().put("doses", doses).put("statuses", Statuses.of(c, patientId))
              .put("plans", new JsonArray(PlanSql.ofPatient(c, patientId).stream().map(PlanSql.Plan::toJson).toList()));
        })).compose(found -> audit.record(AuditEvent.success(userId, "vaccination.history.read",
            "patient:" + patientId, null)).map(found));
  }

  /** The dose if the user is an active member of its patient's team; else the same 404, audited. */
  private Future<DoseSql.Stored> visible(String userId, String doseId, String action) {
    return services.database().read(c -> {
      Optional<DoseSql.Stored> dose = DoseSql.byId(c, doseId);
      return dose.isPresent() && notices.activeMember(c, dose.get().patientId(), userId) ? dose
          : Optional.<DoseSql.Stored>empty();
    }).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : audit.record(AuditEvent.refused(userId, action, "vaccination:dose:" + doseId,
            new JsonObject().put("reason", "not_a_member"))).transform(ignored -> Future.<DoseSql.Stored>failedFuture(
                CodedException.notFound("care.not_found", "指定の記録は見つかりません。"))));
  }

  private java.time.LocalDate birthDate(Connection c, String patientId) throws SQLException {
    return patients.known(c, patientId).orElseThrow(() -> CodedException.notFound("care.not_found",
        "指定の患者は見つかりません。")).birthDate();
  }

  private static List<String> photos(Dose dose) {
    return java.util.stream.Stream.concat(dose.ticketPhotos().stream(), dose.screeningPhotos().stream())
        .distinct().toList();
  }

  static JsonObject view(Connection c, DoseSql.Stored d) throws SQLException {
    return d.data().copy().put("version", d.version()).put("noticeId", d.noticeId()).put("recordedAt", d.recordedAt())
        .put("vaccineName", VaccineSql.byCode(c, d.vaccine()).map(VaccineSql.Vaccine::nameJa).orElse(d.vaccine()))
        .put("placeLabel", Place.fromCode(d.place()).map(Place::labelJa).orElse(d.place()))
        .put("reactions", new JsonArray(DoseSql.reactions(c, d.id()).stream().map(DoseSql.Reaction::toJson).toList()));
  }
}
