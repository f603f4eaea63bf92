package jp.tsunagu.node.disaster;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.CodedChoice;

/**
 * Why a person needs help to evacuate, as the register's 支援が必要な理由 column names it. The medical
 * devices come first: a person on a ventilator or oxygen needs power and transport before anyone
 * else, so the counts, the map and the printed lists put them first.
 */
enum Reason implements CodedChoice {
  VENTILATOR("ventilator", "人工呼吸器", true),
  OXYGEN("oxygen", "在宅酸素", true),
  DIALYSIS("dialysis", "透析", true),
  SUCTION("suction", "吸引", true),
  CARE_NEED("care_need", "要介護", false),
  DISABILITY("disability", "障害", false),
  LIVING_ALONE("living_alone", "独居", false),
  ELDERLY_ONLY("elderly_only", "高齢者のみ世帯", false);

  private final Label label;
  private final boolean medicalDevice;

  Reason(String code, String labelJa, boolean medicalDevice) {
    this.label = new Label(code, labelJa);
    this.medicalDevice = medicalDevice;
  }

  @Override
  public Label label() {
    return label;
  }

  boolean medicalDevice() {
    return medicalDevice;
  }

  static Optional<Reason> fromCode(String code) {
    return CodedChoice.byCode(Reason.class, code);
  }

  /**
   * A word of the register's column: a label, or a 要介護/要支援 level (kept as the care level), or
   * one of the words municipal systems use for the same thing (身体障害, 一人暮らし, 酸素).
   */
  static Optional<Reason> fromWord(String word) {
    if (word.matches("要(介護|支援)[1-5１-５]?")) {
      return Optional.of(CARE_NEED);
    }
    if (word.endsWith("障害") || word.endsWith("障がい")) {
      return Optional.of(DISABILITY);
    }
    return switch (word) {
      case "一人暮らし", "ひとり暮らし", "単身" -> Optional.of(LIVING_ALONE);
      case "高齢者世帯", "高齢世帯" -> Optional.of(ELDERLY_ONLY);
      case "酸素", "HOT" -> Optional.of(OXYGEN);
      case "人工透析" -> Optional.of(DIALYSIS);
      case "喀痰吸引", "たん吸引" -> Optional.of(SUCTION);
      default -> Arrays.stream(values()).filter(r -> r.labelJa().equals(word)).findFirst();
    };
  }

  static List<Reason> ordered() {
    return List.of(values());
  }
}
