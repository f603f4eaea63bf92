package jp.tsunagu.node.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.forms.DoctorOpinions;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * The secretariat's edits of a 主治医意見書's free texts for the reviewers' copy: {@code freeTexts}, an
 * object of field key to text (and {@code freeText}, the 特記すべき事項 alone, as clients sent it before
 * every free text was editable), each held to the form's own limit; and the refusal while the copy still
 * carries identifying text, naming the fields and never the text.
 */
final class FormEdits {

  private static final int MAX = 4000;

  private FormEdits() {}

  static Map<String, String> of(JsonObject body) {
    Map<String, String> edits = new LinkedHashMap<>();
    if (body.getValue("freeText") instanceof String text) {
      edits.put(DoctorOpinions.REMARKS, TextPolicy.check(text, TextRule.lines("freeText", "特記すべき事項", MAX)).strip());
    }
    Object texts = body.getValue("freeTexts");
    if (texts == null) {
      return edits;
    }
    if (!(texts instanceof JsonObject object)) {
      throw invalid();
    }
    for (String key : object.fieldNames()) {
      if (!(object.getValue(key) instanceof String text) || key.length() > 80) {
        throw invalid();
      }
      edits.put(key, TextPolicy.check(text, TextRule.lines("freeTexts", "記述欄", MAX)).strip());
    }
    return edits;
  }

  /**
   * What the case itself holds of the applicant, the doctor and the facility (as the municipality sent it,
   * which may be written otherwise than on the platform), the insured number among it.
   */
  static Map<String, String> known(ReviewSql.Case k) {
    Map<String, String> known = new LinkedHashMap<>();
    known.put(k.applicantName(), "patient_name");
    known.put(k.applicantAddress(), "address");
    known.put(k.insuredNumber(), "insured_number");
    known.put(k.doctorName(), "doctor_name");
    known.put(k.facilityName(), "facility_name");
    known.remove(null);
    return known;
  }

  /** The fields whose copy differs from the form as written. */
  static List<String> edited(Map<String, String> edits, Map<String, String> asWritten) {
    List<String> out = new ArrayList<>();
    edits.forEach((key, text) -> {
      if (asWritten.containsKey(key) && !text.equals(asWritten.get(key).strip())) {
        out.add(key);
      }
    });
    return out;
  }

  /** Per edited field, the characters as written and in the copy: what the audit may keep. */
  static JsonArray counts(List<String> edited, Map<String, String> edits, Map<String, String> asWritten) {
    JsonArray out = new JsonArray();
    edited.forEach(key -> out.add(new JsonObject().put("field", key)
        .put("charactersAsWritten", asWritten.get(key).strip().length())
        .put("charactersInCopy", edits.get(key).length())));
    return out;
  }

  static CodedException identifying(List<DoctorOpinions.FreeText> fields) {
    JsonArray named = new JsonArray();
    fields.forEach(f -> named.add(new JsonObject().put("field", f.key()).put("label", f.label())));
    return new CodedException(CodedException.Kind.REJECTED, "review.identifying_text",
        "審査委員に渡す写しに氏名・住所・電話番号・被保険者番号・医師名・医療機関名が残っています（"
            + String.join("、", fields.stream().map(DoctorOpinions.FreeText::label).toList())
            + "）。プレビューの印の箇所を消してから取り込んでください。", new JsonObject().put("fields", named));
  }

  private static CodedException invalid() {
    return CodedException.invalid("review.invalid_free_texts", "記述欄の編集内容が正しくありません。");
  }
}
