package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * 安否確認 during a declared disaster: municipal staff record anyone of the register; a professional
 * records a person whom staff confirmed as one of her own patients (an active member of the patient's
 * care team, checked by the care feature, as for every patient record). Every record is kept with who,
 * when and a note; the progress board per 地区 (確認済み N / M) is told of each at once, across the
 * node's instances, over the event bus.
 */
final class SafetyChecks {

  /** Where each new record is announced, for the live progress boards. */
  static final String ADDRESS = "tsunagu.disaster.safety";

  private final NodeServices services;
  private final AuditLog audit;
  private final Districts districts;
  private final Declarations declarations;
  private final PatientAccess patients;
  private final TimelineNotices notices;
  private final SafetySubmissions submissions;

  SafetyChecks(NodeServices services, AuditLog audit, Districts districts, Declarations declarations,
      PatientAccess patients, TimelineNotices notices) {
    this.services = services;
    this.audit = audit;
    this.districts = districts;
    this.declarations = declarations;
    this.patients = patients;
    this.notices = notices;
    this.submissions = new SafetySubmissions(services, audit, patients, notices);
  }

  /**
   * Records a person's safety: a person of this node's register by {@code personKey}, or a patient by
   * {@code patientId} (the person staff confirmed as that patient here; for a partner's patient, whose
   * register is the home node's, the record is submitted there through the team sync).
   */
  Future<JsonObject> record(Vertx vertx, String userId, boolean staff, JsonObject body) {
    String personKey = text(body, "personKey");
    String patientId = text(body, "patientId");
    Optional<SafetyStatus> status = SafetyStatus.fromCode(text(body, "status"));
    String shelter = text(body, "shelter");
    String note = text(body, "note");
    String target = personKey.isEmpty() && !patientId.isEmpty() ? "patient:" + patientId : personKey;
    if (status.isEmpty()) {
      return refuse(userId, target, CodedException.invalid("disaster.invalid_safety_status",
          "安否を 無事・要支援・負傷・安否不明・避難所・入院・連絡つかず から選んでください。"));
    }
    if (status.get() == SafetyStatus.SHELTER && shelter.isEmpty()) {
      return refuse(userId, target, CodedException.invalid("disaster.shelter_required", "避難所の名前を入力してください。"));
    }
    String shelterName = status.get() == SafetyStatus.SHELTER ? shelter : "";
    if (!personKey.isEmpty() || patientId.isEmpty()) {
      return recordPerson(vertx, userId, staff, personKey, status.get(), shelterName, note);
    }
    return services.database().read(c -> notices.replica(c, patientId) ? Optional.<String>empty()
        : Optional.of(SafetySql.personOfPatient(c, patientId).orElse(""))).compose(key -> key.isPresent()
            ? recordPerson(vertx, userId, staff, key.get(), status.get(), shelterName, note)
            : submissions.submit(vertx, userId, patientId, status.get(), shelterName, note));
  }

  private Future<JsonObject> recordPerson(Vertx vertx, String userId, boolean staff, String personKey,
      SafetyStatus status, String shelter, String note) {
    return declarations.current().compose(declaration -> {
      if (declaration.isEmpty()) {
        return refuse(userId, personKey, CodedException.conflict("disaster.not_declared",
            "安否確認は災害モードの間だけ記録できます。"));
      }
      return services.database().read(c -> new Found(SafetySql.currentPerson(c, personKey)
          .filter(p -> new Visibility(staff, declaration).sees(p)), SafetySql.confirmedPatient(c, personKey)))
          .compose(found -> allowed(userId, staff, found).compose(person -> save(vertx, userId, declaration.get(),
              person, found.patientId(), status, shelter, note)));
    });
  }

  private record Found(Optional<RegisterPerson> person, Optional<String> patientId) {}

  /**
   * Staff record anyone they see; a professional only a person confirmed as a patient of a team she
   * is an active member of. Anything else is the same 404, so the answer tells nothing of the person.
   */
  private Future<RegisterPerson> allowed(String userId, boolean staff, Found found) {
    if (found.person().isPresent() && staff) {
      return Future.succeededFuture(found.person().get());
    }
    if (found.person().isEmpty() || found.patientId().isEmpty()) {
      return refuse(userId, found.person().map(RegisterPerson::key).orElse(""), notFound());
    }
    return patients.forMember(userId, found.patientId().get(), "disaster.safety.recorded")
        .map(found.person().get())
        .recover(notMember -> Future.failedFuture(notFound()));
  }

  /**
   * The record, its audit entry and, for a person confirmed as a patient, the notice on the team's
   * timeline, in one transaction; on a team shared with partners the notice travels as a team post.
   */
  private Future<JsonObject> save(Vertx vertx, String userId, DeclarationSql.Declaration declaration,
      RegisterPerson person, Optional<String> patientId, SafetyStatus status, String shelter, String note) {
    Instant now = Instant.now(services.clock());
    SafetySql.Check check = new SafetySql.Check(DisasterIds.next(), declaration.id(), person.key(), person.district(),
        status.code(), shelter, note, userId, now.toString());
    return services.database().write(c -> {
      SafetySql.insert(c, check, person.municipalityCode());
      audit.append(c, AuditEvent.success(userId, "disaster.safety.recorded", "disaster:person:" + person.key(),
          new JsonObject().put("declaration", declaration.id()).put("status", status.code())));
      Optional<String> notice = patientId.isEmpty() ? Optional.empty() : notices.post(c, patientId.get(), userId,
          SafetyNotice.body(status, shelter, note, notices.profile(c, userId), now));
      return json(check).put("noticeId", notice.orElse(null));
    }).onSuccess(saved -> {
      vertx.eventBus().publish(ADDRESS, new JsonObject().put("district", person.district()));
      if (saved.getString("noticeId") != null) {
        notices.committed(vertx, patientId.get(), saved.getString("noticeId"));
      }
    });
  }

  /** Per 地区 of the declaration: how many of its people were checked, and their latest statuses. */
  Future<JsonObject> board() {
    return declarations.current().compose(declaration -> {
      if (declaration.isEmpty()) {
        return Future.succeededFuture(new JsonObject().put("declared", false).put("districts", new JsonArray()));
      }
      return services.database().read(c -> {
        Optional<RegisterSql.Import> current = RegisterSql.current(c);
        List<RegisterPerson> people = current.isEmpty() ? List.of() : RegisterSql.people(c, current.get().id());
        Map<String, SafetySql.Check> latest = SafetySql.latest(c, declaration.get().id());
        JsonArray rows = new JsonArray();
        for (Districts.District d : districts.all()) {
          if (!declaration.get().covers(d.name())) {
            continue;
          }
          JsonObject byStatus = new JsonObject();
          for (SafetyStatus s : SafetyStatus.values()) {
            byStatus.put(s.code(), 0);
          }
          int total = 0;
          int checked = 0;
          for (RegisterPerson p : people) {
            if (!p.district().equals(d.name())) {
              continue;
            }
            total++;
            SafetySql.Check check = latest.get(p.key());
            if (check != null) {
              checked++;
              byStatus.put(check.status(), byStatus.getInteger(check.status()) + 1);
            }
          }
          rows.add(new JsonObject().put("district", d.name()).put("total", total).put("checked", checked)
              .put("statuses", byStatus));
        }
        JsonArray statuses = new JsonArray();
        for (SafetyStatus s : SafetyStatus.values()) {
          statuses.add(new JsonObject().put("code", s.code()).put("label", s.labelJa()));
        }
        return new JsonObject().put("declared", true).put("declaration", declaration.get().toJson())
            .put("districts", rows).put("statuses", statuses);
      });
    });
  }

  static JsonObject json(SafetySql.Check check) {
    return new JsonObject().put("id", check.id()).put("personKey", check.personKey()).put("status", check.status())
        .put("statusLabel", SafetyStatus.fromCode(check.status()).map(SafetyStatus::labelJa).orElse(check.status()))
        .put("shelter", check.shelter()).put("note", check.note()).put("recordedAt", check.recordedAt());
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }

  private <T> Future<T> refuse(String userId, String personKey, CodedException refusal) {
    return audit.record(AuditEvent.refused(userId, "disaster.safety.recorded", "disaster:person:" + personKey,
        new JsonObject().put("code", refusal.code()))).transform(ignored -> Future.failedFuture(refusal));
  }

  private static CodedException notFound() {
    return CodedException.notFound("disaster.person_not_found", "指定の方は見つかりません。");
  }
}
