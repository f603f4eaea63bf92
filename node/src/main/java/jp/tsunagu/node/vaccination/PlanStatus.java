package jp.tsunagu.node.vaccination;

import java.util.Map;

/** The states of a home-vaccination plan and their labels. */
final class PlanStatus {

  static final String WISHED = "wished";
  static final String PLANNED = "planned";
  static final String DONE = "done";
  static final String DECLINED = "declined";

  private static final Map<String, String> LABELS = Map.of(WISHED, "希望", PLANNED, "予定", DONE, "接種済み",
      DECLINED, "見送り");

  private PlanStatus() {}

  static String labelOf(String status) {
    return LABELS.getOrDefault(status, status);
  }
}
