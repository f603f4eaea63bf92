package jp.tsunagu.node.disaster;

import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/** What a 安否確認 found. 避難所 names the shelter. */
enum SafetyStatus implements CodedChoice {
  SAFE("safe", "無事"),
  NEEDS_HELP("needs_help", "要支援"),
  INJURED("injured", "負傷"),
  UNKNOWN("unknown", "安否不明"),
  SHELTER("shelter", "避難所"),
  HOSPITAL("hospital", "入院"),
  UNREACHABLE("unreachable", "連絡つかず");

  private final Label label;

  SafetyStatus(String code, String labelJa) {
    this.label = new Label(code, labelJa);
  }

  @Override
  public Label label() {
    return label;
  }

  static Optional<SafetyStatus> fromCode(String code) {
    return CodedChoice.byCode(SafetyStatus.class, code);
  }
}
