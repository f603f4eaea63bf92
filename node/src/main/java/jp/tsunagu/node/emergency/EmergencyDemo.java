package jp.tsunagu.node.emergency;

import java.time.LocalDate;
import java.util.List;
import jp.tsunagu.node.care.EmergencyRecords;

/**
 * The demo's 人生会議 and medical facts: every demo patient gets a medical history, medication and
 * allergies; the first three a 人生会議 written by their 主治医, so a demo emergency access shows both.
 * Created once per demo folder. Blocking; start-up only.
 */
final class EmergencyDemo {

  private record Facts(String history, String medications, String allergies) {}

  private static final List<Facts> FACTS = List.of(
      new Facts("高血圧症、2型糖尿病。2019年 右大腿骨頸部骨折（手術）。", "アムロジピン 5mg 朝、メトホルミン 500mg 朝夕、酸化マグネシウム 330mg 朝夕",
          "ペニシリン系抗菌薬（発疹）"),
      new Facts("慢性閉塞性肺疾患（COPD）、在宅酸素 2L/分。心房細動。", "アピキサバン 5mg 朝夕（抗凝固薬）、チオトロピウム吸入 1日1回",
          "なし"),
      new Facts("膵がん（末期）、在宅緩和ケア中。", "オキシコドン徐放錠 10mg 12時間毎、レスキュー オキノーム 2.5mg",
          "造影剤（じんましん）"),
      new Facts("心不全（NYHA II）、慢性腎臓病。", "フロセミド 20mg 朝、カルベジロール 2.5mg 朝夕", "なし"),
      new Facts("パーキンソン病、誤嚥性肺炎の既往（2023年）。", "レボドパ・カルビドパ 100mg 1日3回", "卵"));

  private static final List<AdvanceCarePlan> PLANS = List.of(
      new AdvanceCarePlan("住み慣れた自宅で最期まで過ごしたい。痛みや苦しさはしっかり取ってほしい。", "dnar",
          "心肺蘇生・人工呼吸器は希望しない。搬送は苦痛緩和のためなら可。", "和子", "長女", "090-0000-0010",
          "本人、長女、主治医、訪問看護師、ケアマネジャー", null),
      new AdvanceCarePlan("できるだけ自宅で過ごしたいが、肺炎などで治る見込みがあれば入院治療を受けたい。", "limited",
          "酸素・点滴・抗菌薬は希望。気管挿管と心臓マッサージは希望しない。", "健一", "長男", "090-0000-0011",
          "本人、長男夫婦、主治医、ケアマネジャー", null),
      new AdvanceCarePlan("自宅での看取りを希望。家族もそれを支えると話している。", "dnar",
          "救急要請時は主治医に連絡してから判断してほしい。", "正", "夫", "090-0000-0012",
          "本人、夫、次女、主治医、訪問看護師", null));

  private EmergencyDemo() {}

  static void seed(EmergencyContext emergency) {
    EmergencyRecords records = emergency.records();
    LocalDate confirmed = emergency.today().minusDays(14);
    String now = emergency.now().toString();
    emergency.services().database().submitWrite(c -> {
      List<EmergencyRecords.Lead> leads = records.leads(c);
      if (leads.isEmpty() || !records.medical(c, leads.get(0).patientId()).history().isEmpty()) {
        return null;
      }
      for (int i = 0; i < leads.size(); i++) {
        EmergencyRecords.Lead lead = leads.get(i);
        Facts f = FACTS.get(i % FACTS.size());
        records.updateMedical(c, lead.patientId(), new EmergencyRecords.Medical(f.history(), f.medications(),
            f.allergies()));
        if (i < PLANS.size()) {
          AdvanceCarePlan p = PLANS.get(i);
          AcpSql.insert(c, lead.patientId(), new AdvanceCarePlan(p.wishes(), p.resuscitation(), p.resuscitationNote(),
              p.proxyName(), p.proxyRelation(), p.proxyPhone(), p.participants(), confirmed), lead.userId(),
              lead.name(), now);
        }
      }
      return null;
    }).join();
  }
}
