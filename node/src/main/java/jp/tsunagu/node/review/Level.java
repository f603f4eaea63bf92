package jp.tsunagu.node.review;

import java.util.Arrays;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/** 要介護度: the levels a 一次判定 and a 二次判定 can give, in order of need. */
enum Level {
  NON_APPLICABLE("non_applicable", "非該当"),
  SUPPORT_1("support_1", "要支援1"),
  SUPPORT_2("support_2", "要支援2"),
  CARE_1("care_1", "要介護1"),
  CARE_2("care_2", "要介護2"),
  CARE_3("care_3", "要介護3"),
  CARE_4("care_4", "要介護4"),
  CARE_5("care_5", "要介護5");

  private final String code;
  private final String labelJa;

  Level(String code, String labelJa) {
    this.code = code;
    this.labelJa = labelJa;
  }

  String code() {
    return code;
  }

  String labelJa() {
    return labelJa;
  }

  /** By code or by its Japanese label (a CSV from the national decision software has the label). */
  static Optional<Level> parse(String value) {
    String v = value == null ? "" : value.strip();
    return Arrays.stream(values()).filter(l -> l.code.equals(v) || l.labelJa.equals(v)).findFirst();
  }

  static Level required(String value) {
    return parse(value).orElseThrow(() -> CodedException.invalid("review.invalid_level",
        "要介護度は 非該当・要支援1〜2・要介護1〜5 から選んでください。"));
  }

  static String label(String code) {
    return parse(code).map(Level::labelJa).orElse("");
  }
}
