package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;

/**
 * Enrolment by municipal staff (行政): a household for a patient of this node or a person of the
 * 要援護者台帳, with the consent (who, as what, when, the scan of the signed form), the sensors and the
 * gateway each reports through, the family contacts in order and the rule settings; and withdrawal,
 * after which the ingest takes nothing more for it. Every step and every read is audited; a refused
 * request changes nothing but the audit log.
 */
final class Enrolments {

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final PatientAccess patients;
  private final AttachmentFiles files;
  private final RegisterPeople register;

  Enrolments(Database database, AuditLog audit, Clock clock, PatientAccess patients, AttachmentFiles files,
      RegisterPeople register) {
    this.register = register;
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.patients = patients;
    this.files = files;
  }

  Future<JsonObject> enrol(String userId, JsonObject body) {
    Household parsed;
    try {
      parsed = EnrolmentForm.parse(body, AlertIds.next(), userId, Instant.now(clock).toString());
    } catch (CodedException e) {
      return refuse(userId, "sensors.household.enrolled", "new", e);
    }
    if (parsed.patientId() == null) {
      return save(userId, parsed, Optional.empty());
    }
    return patients.registeredForStaff().map(all -> all.stream().filter(p -> p.id().equals(parsed.patientId()))
            .findFirst())
        .compose(known -> known.isPresent() ? save(userId, parsed, known.map(PatientAccess.Registered::municipalityCode))
            : refuse(userId, "sensors.household.enrolled", "new",
                CodedException.notFound("sensors.patient_not_found", "指定の患者はこのノードに登録されていません。")));
  }

  /**
   * Stores the household in its resident's municipality (the patient's of record, else the register's),
   * which the usage report counts its alerts in.
   */
  private Future<JsonObject> save(String userId, Household parsed, Optional<String> patientMunicipality) {
    return database.write(c -> {
      Optional<RegisterPeople.Resident> resident = inRegister(c, parsed.registerPersonKey());
      Household h = parsed.patientId() == null ? parsed.fromRegister(resident.orElseThrow()) : parsed;
      if (h.patientId() != null && HouseholdSql.activeForPatient(c, h.patientId())
          || h.registerPersonKey() != null && HouseholdSql.activeForPerson(c, h.registerPersonKey())) {
        throw CodedException.conflict("sensors.already_enrolled", "この方はすでに見守りの対象です。");
      }
      if (h.consent().scanId() != null && HouseholdSql.scan(c, h.consent().scanId()).isEmpty()) {
        throw CodedException.invalid("sensors.scan_not_found", "同意書のスキャンが見つかりません。もう一度アップロードしてください。");
      }
      for (Household.Device d : h.devices()) {
        if (HouseholdSql.deviceExists(c, d.id())) {
          throw CodedException.conflict("sensors.device_taken", "センサー " + d.id() + " はすでに登録されています。");
        }
        if (!HouseholdSql.gatewayActive(c, d.gatewayId())) {
          throw CodedException.invalid("sensors.gateway_unknown", "ゲートウェイ " + d.gatewayId() + " は登録されていないか、失効しています。");
        }
      }
      HouseholdSql.insert(c, h);
      HouseholdSql.placeIn(c, h.id(), patientMunicipality.or(() -> resident.map(RegisterPeople.Resident::municipalityCode))
          .orElse(null));
      audit.append(c, AuditEvent.success(userId, "sensors.household.enrolled", "sensors:household:" + h.id(),
          new JsonObject().put("patient", h.patientId()).put("person", h.registerPersonKey())
              .put("registerVersion", resident.map(RegisterPeople.Resident::version).orElse(null))
              .put("devices", h.devices().size()).put("contacts", h.contacts().size())));
      return HouseholdSql.byId(c, h.id()).orElseThrow().toJson();
    }).recover(e -> e instanceof CodedException coded ? refuse(userId, "sensors.household.enrolled", "new", coded)
        : Future.failedFuture(e));
  }

  /**
   * The register person named by the enrolment ("ふりがな/YYYY-MM-DD"), checked against the register's
   * current version: a person it does not hold is refused, whatever else the form says.
   */
  private Optional<RegisterPeople.Resident> inRegister(java.sql.Connection c, String personKey)
      throws java.sql.SQLException {
    if (personKey == null) {
      return Optional.empty();
    }
    int slash = personKey.lastIndexOf('/');
    Optional<RegisterPeople.Resident> found = register.find(c, personKey.substring(0, slash),
        personKey.substring(slash + 1));
    if (found.isEmpty()) {
      throw CodedException.notFound("sensors.register_person_not_found",
          "要援護者台帳（確定済みの最新版）にこの方はいません。ふりがなと生年月日を確かめてください。");
    }
    return found;
  }

  Future<JsonObject> withdraw(String userId, String householdId) {
    return database.write(c -> {
      if (!HouseholdSql.withdraw(c, householdId, userId, Instant.now(clock).toString())) {
        throw HouseholdSql.byId(c, householdId).isPresent()
            ? CodedException.conflict("sensors.already_withdrawn", "この世帯はすでに見守りを終了しています。")
            : notFound();
      }
      audit.append(c, AuditEvent.success(userId, "sensors.household.withdrawn", "sensors:household:" + householdId,
          new JsonObject()));
      return HouseholdSql.byId(c, householdId).orElseThrow().toJson();
    }).recover(e -> e instanceof CodedException coded ? refuse(userId, "sensors.household.withdrawn", householdId,
        coded) : Future.failedFuture(e));
  }

  /** The households, and the node's patients staff may enrol (for the enrolment form's choice). */
  Future<JsonObject> list(String userId) {
    return patients.registeredForStaff().compose(registered -> database.write(c -> {
      JsonArray out = new JsonArray();
      for (Household h : HouseholdSql.all(c)) {
        out.add(h.toJson().put("openAlerts", AlertSql.ofHousehold(c, h.id(), 50).stream().filter(Alert::open).count()));
      }
      audit.append(c, AuditEvent.success(userId, "sensors.households.listed", "sensors:households",
          new JsonObject().put("count", out.size())));
      JsonArray choices = new JsonArray();
      registered.forEach(p -> choices.add(new JsonObject().put("id", p.id()).put("name", p.name())
          .put("address", p.address())));
      return new JsonObject().put("households", out).put("places", places()).put("patients", choices);
    }));
  }

  Future<JsonObject> one(String userId, String householdId) {
    return database.write(c -> {
      Optional<Household> h = HouseholdSql.byId(c, householdId);
      if (h.isEmpty()) {
        throw notFound();
      }
      audit.append(c, AuditEvent.success(userId, "sensors.household.read", "sensors:household:" + householdId,
          new JsonObject()));
      JsonArray alerts = new JsonArray();
      for (Alert a : AlertSql.ofHousehold(c, householdId, 100)) {
        alerts.add(a.toJson().put("steps", Alert.steps(AlertSql.steps(c, a.id()))));
      }
      return h.get().toJson().put("alerts", alerts);
    }).recover(e -> e instanceof CodedException coded ? refuse(userId, "sensors.household.read", householdId, coded)
        : Future.failedFuture(e));
  }

  /** Keeps the consent form's scan (PDF or image, by its content) and answers its id for the enrolment. */
  Future<JsonObject> scan(io.vertx.core.Vertx vertx, String userId, String fileName, byte[] content) {
    Optional<AttachmentType> type = AttachmentType.detect(content).filter(t -> t == AttachmentType.PDF
        || t == AttachmentType.JPEG || t == AttachmentType.PNG);
    if (type.isEmpty()) {
      return refuse(userId, "sensors.consent_scan.uploaded", "new", CodedException.unsupported(
          "sensors.scan_type", "同意書は PDF・JPEG・PNG のいずれかでアップロードしてください。"));
    }
    String hash = AttachmentFiles.sha256(content);
    String id = AlertIds.next();
    String name = fileName.isBlank() || fileName.length() > 120 ? "同意書." + type.get().name().toLowerCase() : fileName;
    return vertx.executeBlocking(() -> files.store(hash, content, type.get()), false).compose(stored -> database.write(c -> {
      HouseholdSql.insertScan(c, id, hash, type.get().mediaType(), name, content.length, userId,
          Instant.now(clock).toString());
      audit.append(c, AuditEvent.success(userId, "sensors.consent_scan.uploaded", "sensors:scan:" + id,
          new JsonObject().put("size", content.length).put("mediaType", type.get().mediaType())));
      return new JsonObject().put("id", id).put("mediaType", type.get().mediaType()).put("fileName", name)
          .put("size", content.length);
    }));
  }

  /** A scan's bytes and media type, for staff (audited). */
  Future<HouseholdSql.Scan> scanFile(String userId, String id) {
    return database.read(c -> HouseholdSql.scan(c, id)).compose(found -> found.isEmpty()
        ? refuse(userId, "sensors.consent_scan.read", id, notFound())
        : audit.record(AuditEvent.success(userId, "sensors.consent_scan.read", "sensors:scan:" + id, new JsonObject()))
            .map(found.get()));
  }

  java.nio.file.Path file(String sha256) {
    return files.file(sha256);
  }

  private static JsonArray places() {
    JsonArray out = new JsonArray();
    for (String place : HouseholdPlaces.PLACES) {
      out.add(new JsonObject().put("code", place).put("label", HouseholdPlaces.label(place)));
    }
    return out;
  }

  private static CodedException notFound() {
    return CodedException.notFound("sensors.household_not_found", "指定の世帯は見つかりません。");
  }

  private <T> Future<T> refuse(String userId, String action, String target, CodedException refusal) {
    return audit.record(AuditEvent.refused(userId, action, "sensors:household:" + target,
        new JsonObject().put("code", refusal.code()))).transform(ignored -> Future.failedFuture(refusal));
  }
}
