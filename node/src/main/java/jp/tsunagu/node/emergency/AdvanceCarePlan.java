package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Map;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.web.FieldProblems;

/**
 * One version of a patient's 人生会議 (advance care plan): the care wished for, the intent on
 * life-prolonging treatment and resuscitation, the proxy decision-maker and how to reach them, who
 * took part in the talk, and the day it was last confirmed with the person.
 */
record AdvanceCarePlan(String wishes, String resuscitation, String resuscitationNote, String proxyName,
    String proxyRelation, String proxyPhone, String participants, LocalDate confirmedOn) {

  /** The intents on resuscitation, by code, as the screens and the crew read them. */
  static final Map<String, String> RESUSCITATION = Map.of(
      "full", "心肺蘇生を含む延命治療を希望する",
      "limited", "一部の治療のみ希望する（内容は補足を参照）",
      "dnar", "心肺蘇生を希望しない（DNAR）",
      "undecided", "決めていない・話し合い中");

  /** What the team sent, each wrong field named at once; the day confirmed is never in the future. */
  static AdvanceCarePlan from(JsonObject body, LocalDate today) {
    CareInput in = new CareInput(body);
    FieldProblems p = new FieldProblems();
    String wishes = p.check("wishes", () -> in.optionalText("wishes", "希望する医療・ケア", 2000));
    String resuscitation = p.check("resuscitation", () -> in.oneOf("resuscitation", "延命治療・心肺蘇生についての意向",
        RESUSCITATION.keySet()));
    String note = p.check("resuscitationNote", () -> in.optionalText("resuscitationNote", "意向の補足", 1000));
    String proxyName = p.check("proxyName", () -> in.optionalText("proxyName", "代理意思決定者", 60));
    String relation = p.check("proxyRelation", () -> in.optionalText("proxyRelation", "続柄", 30));
    String phone = p.check("proxyPhone", () -> Phones.checked(in.optionalText("proxyPhone", "代理意思決定者の連絡先", 20),
        "代理意思決定者の連絡先"));
    String participants = p.check("participants", () -> in.optionalText("participants", "話し合いの参加者", 500));
    LocalDate confirmed = p.check("confirmedOn", () -> {
      String text = in.optionalText("confirmedOn", "最終確認日", 10);
      if (text.isEmpty()) {
        return null;
      }
      LocalDate date = CareInput.date(text, "最終確認日");
      if (date.isAfter(today)) {
        throw CareInput.malformed("最終確認日");
      }
      return date;
    });
    p.throwIfAny();
    return new AdvanceCarePlan(wishes, resuscitation, note, proxyName, relation, phone, participants, confirmed);
  }

  JsonObject toJson() {
    return new JsonObject().put("wishes", wishes).put("resuscitation", resuscitation)
        .put("resuscitationLabel", RESUSCITATION.get(resuscitation)).put("resuscitationNote", resuscitationNote)
        .put("proxyName", proxyName).put("proxyRelation", proxyRelation).put("proxyPhone", proxyPhone)
        .put("participants", participants).put("confirmedOn", confirmedOn == null ? null : confirmedOn.toString());
  }
}
