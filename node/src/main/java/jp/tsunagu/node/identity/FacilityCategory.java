package jp.tsunagu.node.identity;

import java.util.LinkedHashMap;
import java.util.Map;

/** 施設種別: the facility categories of the registration form, by stable code. */
final class FacilityCategory {

  static final Map<String, String> LABELS;

  static {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("hospital", "病院");
    labels.put("clinic", "診療所");
    labels.put("dental", "歯科診療所");
    labels.put("pharmacy", "薬局");
    labels.put("home_nursing", "訪問看護ステーション");
    labels.put("care_management", "居宅介護支援事業所");
    labels.put("home_care", "訪問介護事業所");
    labels.put("day_care", "通所介護事業所");
    labels.put("community_support", "地域包括支援センター");
    labels.put("municipal", "行政");
    labels.put("other", "その他");
    LABELS = java.util.Collections.unmodifiableMap(labels);
  }

  private FacilityCategory() {}
}
