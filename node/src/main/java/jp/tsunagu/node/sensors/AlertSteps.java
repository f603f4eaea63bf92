package jp.tsunagu.node.sensors;

import java.util.Map;

/** The steps an alert's history shows, as the screen names them. */
final class AlertSteps {

  private static final Map<String, String> LABELS = Map.of("raised", "発生", "door_event", "ドアの動きあり",
      "call", "電話", "escalated", "家族・ケアマネジャーへ連絡", "auto_escalated", "未対応のため自動で連絡",
      "visit", "訪問の結果", "resolved", "解決", "reading", "新しい測定値");

  private AlertSteps() {}

  static String label(String step) {
    return LABELS.getOrDefault(step, step);
  }
}
