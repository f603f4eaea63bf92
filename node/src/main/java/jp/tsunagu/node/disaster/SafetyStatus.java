package jp.tsunagu.node.disaster;

import java.util.Arrays;
import java.util.Optional;

/** What a 安否確認 found. 避難所 names the shelter. */
enum SafetyStatus {
  SAFE("safe", "無事"),
  NEEDS_HELP("needs_help", "要支援"),
  INJURED("injured", "負傷"),
  UNKNOWN("unknown", "安否不明"),
  SHELTER("shelter", "避難所"),
  HOSPITAL("hospital", "入院"),
  UNREACHABLE("unreachable", "連絡つかず");

  private final String code;
  private final String labelJa;

  SafetyStatus(String code, String labelJa) {
    this.code = code;
    this.labelJa = labelJa;
  }

  String code() {
    return code;
  }

  String labelJa() {
    return labelJa;
  }

  static Optional<SafetyStatus> fromCode(String code) {
    return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
  }
}
