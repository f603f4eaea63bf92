package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagu.node.errors.CodedException;

/**
 * 予診: the body temperature and the answers of the questionnaire (予診票). A temperature of 37.5 ℃
 * or more, or a yes to a blocking question, means the dose is not given today: the record is refused
 * ({@code vaccination.screening_blocks}) and the plan is set to 見送り instead.
 */
record Screening(double temperature, Map<String, Boolean> answers) {

  /** 発熱 by the 予防接種実施規則: 37.5 ℃ or more. */
  static final double FEVER = 37.5;

  /** The questions of the form, in order: code, the question, whether a yes blocks the dose. */
  enum Question {
    UNWELL("unwell", "今日、体に具合の悪いところがありますか", true),
    ACUTE_ILLNESS("acuteIllness", "重い急性疾患にかかっていますか", true),
    ANAPHYLAXIS("anaphylaxis", "以前の予防接種で重いアレルギー（アナフィラキシー）を起こしたことがありますか", true),
    RECENT_VACCINE("recentVaccine", "2週間以内に予防接種を受けましたか", false),
    ANTICOAGULANT("anticoagulant", "血液をサラサラにする薬を飲んでいますか", false);

    final String code;
    final String textJa;
    final boolean blocking;

    Question(String code, String textJa, boolean blocking) {
      this.code = code;
      this.textJa = textJa;
      this.blocking = blocking;
    }
  }

  static Screening of(JsonObject json) {
    if (json == null) {
      throw CodedException.invalid("vaccination.screening_required", "予診（体温と予診票の回答）を入力してください。");
    }
    Object t = json.getValue("temperature");
    if (!(t instanceof Number n) || !(n.doubleValue() >= 34.0 && n.doubleValue() <= 42.0)) {
      throw CodedException.invalid("vaccination.bad_temperature", "体温は34.0〜42.0℃で入力してください。");
    }
    JsonObject given = json.getValue("answers") instanceof JsonObject a ? a : new JsonObject();
    Map<String, Boolean> answers = new LinkedHashMap<>();
    for (Question q : Question.values()) {
      if (!(given.getValue(q.code) instanceof Boolean yes)) {
        throw CodedException.invalid("vaccination.screening_required", "予診票の「" + q.textJa + "」に答えてください。");
      }
      answers.put(q.code, yes);
    }
    return new Screening(Math.round(n.doubleValue() * 10) / 10.0, answers);
  }

  /** Refuses a dose the answers block. */
  void requireClear() {
    if (temperature >= FEVER) {
      throw CodedException.invalid("vaccination.screening_blocks", "体温が37.5℃以上のため、本日は接種できません（見送り）。");
    }
    for (Question q : Question.values()) {
      if (q.blocking && Boolean.TRUE.equals(answers.get(q.code))) {
        throw CodedException.invalid("vaccination.screening_blocks", "予診票の「" + q.textJa + "」が「はい」のため、本日は接種できません（見送り）。");
      }
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("temperature", temperature).put("answers", new JsonObject(new LinkedHashMap<>(answers)));
  }
}
