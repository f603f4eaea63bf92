package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.forms.DoctorOpinions;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * How the secretariat finds the applicant's 主治医意見書 on the platform without a patient list: a search
 * by name and birth date that answers only patients homed here who have one (the minimum shown: name,
 * birth date, the forms' dates), and the preview of the opinion as the reviewers will read it, its free
 * texts apart, identifying text marked, so they can be redacted before it is attached. Every search and preview is audited.
 */
final class FormPicker {

  private static final TextRule NAME = TextRule.line("name", "氏名", 80);

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;
  private final DoctorOpinions opinions;

  FormPicker(NodeServices services, AuditLog audit, ReviewAccess access, DoctorOpinions opinions) {
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.opinions = opinions;
  }

  /** Patients with a 主治医意見書 here, by name (kanji or kana, whole or family) and the exact birth date. */
  Future<JsonObject> search(String actor, String rawName, String rawBirthDate) {
    String name;
    String birthDate;
    try {
      name = rawName == null ? "" : TextPolicy.check(rawName, NAME).strip();
      birthDate = rawBirthDate == null ? "" : rawBirthDate.strip();
      if (name.isEmpty() || birthDate.isEmpty()) {
        throw CodedException.invalid("review.search_incomplete",
            "氏名（かな可）と生年月日の両方を入力してください。氏名だけでは探せません。");
      }
      birthDate = birthDate(birthDate);
    } catch (CodedException e) {
      return audit.record(AuditEvent.refused(actor, "review.patient_search", "patients",
          new JsonObject().put("reason", e.code()))).transform(x -> Future.failedFuture(e));
    }
    return opinions.search(name, birthDate).compose(found -> {
      JsonArray patients = new JsonArray();
      JsonArray ids = new JsonArray();
      for (DoctorOpinions.Candidate p : found) {
        patients.add(new JsonObject().put("patientId", p.patientId()).put("name", p.name())
            .put("birthDate", p.birthDate()).put("formDates", new JsonArray(p.formDates())));
        ids.add(p.patientId());
      }
      // Who looked for whom and whom the answer named: the query itself is personal data and stays out.
      return audit.record(AuditEvent.success(actor, "review.patient_search", "patients",
          new JsonObject().put("results", found.size()).put("patients", ids)))
          .map(new JsonObject().put("patients", patients));
    });
  }

  /**
   * The opinion as the reviewers would read it, for a case still open, with the applicant's consent
   * recorded (as for the import itself); audited as a read of the patient's record.
   */
  Future<JsonObject> preview(String actor, String caseId, String patientId, String consentOn) {
    String id = patientId == null ? "" : patientId.strip();
    String target = "patient:" + id;
    Optional<String> consent = Materials.consentOn(new JsonObject().put("consentOn", consentOn == null ? ""
        : consentOn), services.clock());
    if (consent.isEmpty()) {
      return refused(actor, target, caseId, Materials.consentMissing());
    }
    return services.database().read(c -> access.liveCase(c, caseId))
        .compose(k -> id.isEmpty() ? Future.succeededFuture(Optional.<DoctorOpinions.Preview>empty())
            : opinions.preview(id, FormEdits.known(k)))
        .compose(found -> found.isEmpty() ? refused(actor, target, caseId, Materials.formNotFound())
            : audit.record(AuditEvent.success(actor, "review.form_previewed", target, new JsonObject()
                .put("case", caseId).put("post", found.get().postId()).put("version", found.get().version())
                .put("consentOn", consent.get()))).map(json(found.get())));
  }

  private static JsonObject json(DoctorOpinions.Preview p) {
    JsonArray parts = new JsonArray();
    for (DoctorOpinions.Part part : p.parts()) {
      JsonArray lines = new JsonArray();
      part.lines().forEach(l -> lines.add(new JsonObject().put("label", l.label()).put("value", l.value())));
      parts.add(new JsonObject().put("title", part.title()).put("lines", lines));
    }
    // Each typed answer apart, with where the node found identifying text in it, for the secretariat to
    // edit before the import (which refuses a copy still carrying any).
    JsonArray texts = new JsonArray();
    for (DoctorOpinions.FreeText f : p.freeTexts()) {
      JsonArray marks = new JsonArray();
      f.marks().forEach(m -> marks.add(new JsonObject().put("start", m.start()).put("end", m.end())
          .put("kind", m.kind())));
      texts.add(new JsonObject().put("key", f.key()).put("label", f.label()).put("text", f.text())
          .put("marks", marks));
    }
    return new JsonObject().put("postId", p.postId()).put("version", p.version()).put("title", p.title())
        .put("sections", parts).put("freeTexts", texts);
  }

  private <T> Future<T> refused(String actor, String target, String caseId, CodedException e) {
    return audit.record(AuditEvent.refused(actor, "review.form_previewed", target,
        new JsonObject().put("case", caseId).put("reason", e.code()))).transform(x -> Future.failedFuture(e));
  }

  private static String birthDate(String text) {
    try {
      LocalDate date = LocalDate.parse(text);
      if (date.getYear() < 1880) {
        throw new DateTimeParseException("before 1880", text, 0);
      }
      return date.toString();
    } catch (DateTimeParseException e) {
      throw CodedException.invalid("review.invalid_search", "生年月日は 1938-04-02 の形式の正しい日付で入力してください。");
    }
  }
}
