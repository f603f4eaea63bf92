package jp.tsunagu.node.sensors;

import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/** What a call to the resident found (the call centre records one per call). */
enum AlertCall implements CodedChoice {
  SAFE("safe", "本人応答・無事"),
  NO_ANSWER("no_answer", "応答なし"),
  UNWELL("unwell", "体調不良"),
  VISIT_NEEDED("visit_needed", "要訪問");

  private final Label label;

  AlertCall(String code, String labelJa) {
    this.label = new Label(code, labelJa);
  }

  @Override
  public Label label() {
    return label;
  }

  static Optional<AlertCall> fromCode(String code) {
    return CodedChoice.byCode(AlertCall.class, code);
  }
}
