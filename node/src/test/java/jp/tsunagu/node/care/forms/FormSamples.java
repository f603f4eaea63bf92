package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.care.CareClient;

/**
 * Filled-in answers for each form template, as a doctor or a visiting nurse would write them, and
 * the patient they are filed for.
 */
public final class FormSamples {

  public static final String IKENSHO = "shujii_ikensho";
  public static final String SHIJISHO = "houmon_kango_shijisho";
  public static final String HOUKOKUSHO = "houmon_kango_houkokusho";

  private FormSamples() {}

  /** A patient registered by the doctor (主治医) with the nurse as an accepted team member. */
  public static String patientWithNurse(CareClient doctor, CareClient nurse, JsonObject details) {
    String patient = doctor.post("/api/v1/patients", details).json().getString("id");
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
    nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    return patient;
  }

  public static JsonObject ikensho() {
    return new JsonObject().put("written_on", "2025-06-02").put("last_examined_on", "2025-05-28")
        .put("opinion_count", "2回目以上").put("other_departments", new JsonArray().add("眼科").add("整形外科"))
        .put("diagnosis_1", "アルツハイマー型認知症").put("onset_1", "2021-03-01").put("diagnosis_2", "変形性膝関節症")
        .put("stability", "安定")
        .put("course_and_treatment", "令和3年より物忘れが進行。ドネペジル5mg内服中。\n膝痛に対し湿布を使用。")
        .put("treatments", new JsonArray()).put("special_care", new JsonArray().add("褥瘡の処置"))
        .put("bedridden_level", "A2").put("dementia_level", "Ⅱb").put("short_term_memory", "問題あり")
        .put("peripheral_symptoms", new JsonArray().add("昼夜逆転").add("徘徊"))
        .put("outdoor_walking", "介助があればしている").put("nutrition", "良好")
        .put("likely_conditions", new JsonArray().add("転倒・骨折").add("閉じこもり"))
        .put("response_policy", "通所リハビリで下肢筋力を維持する。").put("outlook", "期待できる")
        .put("medical_services", new JsonArray().add("訪問看護").add("通所リハビリテーション"))
        .put("infection", "無").put("remarks", "独居。長男が週末に訪問。");
  }

  public static JsonObject shijisho() {
    return new JsonObject().put("period_start", "2025-06-01").put("period_end", "2025-11-30")
        .put("main_diagnosis_1", "慢性心不全").put("main_diagnosis_2", "2型糖尿病")
        .put("condition", "NYHA Ⅱ度。下肢浮腫あり、利尿薬で調整中。").put("medication", "フロセミド20mg 1日1回朝")
        .put("bedridden_level", "A1").put("care_level", "要介護2").put("pressure_ulcer", "なし")
        .put("devices", new JsonArray().add("酸素療法")).put("devices_detail", "在宅酸素 安静時1L/分")
        .put("life_guidance", "体重を毎日測定し、2kg以上の増加で連絡。塩分6g/日。")
        .put("emergency_contact", "伊那中央クリニック 0265-00-0000（24時間）")
        .put("special_notes", "NSAIDsで心不全増悪の既往あり。");
  }

  public static JsonObject houkokusho() {
    return new JsonObject().put("period_start", "2025-06-01").put("period_end", "2025-06-30")
        .put("visit_days", "6月2日、9日、16日、23日、30日").put("visit_kinds", new JsonArray().add("看護師等による訪問"))
        .put("course", "血圧130/80前後で安定。6/16に仙骨部発赤あり、体位変換で軽快。")
        .put("nursing", "バイタル測定、服薬確認、仙骨部の皮膚観察と保湿、下肢の関節可動域訓練。")
        .put("home_care", "長女が日中介護。夜間の体位変換に負担感あり。")
        .put("supplies_usage", "フィルムドレッシング 5枚").put("supplies_change", "変更なし")
        .put("remarks", "次回往診時に夜間の介護負担についてご相談ください。");
  }
}
