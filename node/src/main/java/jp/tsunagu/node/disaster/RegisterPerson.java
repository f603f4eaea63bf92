package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One person of the 要援護者台帳 as a version of the register holds them. {@code key} (ふりがな and
 * birth date) is the same person across versions; the place is the geocoded home, or the 地区's
 * centre with {@code approximate} when the address could not be found.
 */
record RegisterPerson(String key, String name, String kana, String birthDate, String sex, String address,
    String municipalityCode, String district, String phone, List<Reason> reasons, String careLevel,
    String supporterName, String supporterContact, boolean consent, boolean plan, String evacuationSite,
    double latitude, double longitude, boolean approximate) {

  RegisterPerson withPlace(double lat, double lon, boolean approx) {
    return new RegisterPerson(key, name, kana, birthDate, sex, address, municipalityCode, district, phone, reasons,
        careLevel, supporterName, supporterContact, consent, plan, evacuationSite, lat, lon, approx);
  }

  boolean medicalDevice() {
    return reasons.stream().anyMatch(Reason::medicalDevice);
  }

  /**
   * What the register says of the person, by the column names staff know: compared between versions
   * to show what changed (the place is derived from the address, so it is not compared).
   */
  Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("氏名", name);
    facts.put("住所", address);
    facts.put("地区", district);
    facts.put("電話", phone);
    facts.put("支援が必要な理由", String.join("・", reasons.stream().map(Reason::labelJa).toList())
        + (careLevel.isEmpty() ? "" : "（" + careLevel + "）"));
    facts.put("避難支援者", supporterName + " " + supporterContact);
    facts.put("情報提供への同意", consent ? "有" : "無");
    facts.put("個別避難計画", plan ? "有 " + evacuationSite : "無");
    facts.put("性別", sex);
    return facts;
  }

  /** The fields that differ from an earlier version of the same person. */
  List<String> changedFrom(RegisterPerson before) {
    Map<String, String> now = facts();
    Map<String, String> then = before.facts();
    return now.keySet().stream().filter(k -> !Objects.equals(now.get(k), then.get(k))).toList();
  }

  JsonObject toJson() {
    return new JsonObject().put("key", key).put("name", name).put("kana", kana).put("birthDate", birthDate)
        .put("sex", sex).put("address", address).put("municipalityCode", municipalityCode).put("district", district)
        .put("phone", phone).put("reasons", new JsonArray(reasons.stream().map(Reason::code).toList()))
        .put("reasonLabels", new JsonArray(reasons.stream().map(Reason::labelJa).toList()))
        .put("careLevel", careLevel).put("medicalDevice", medicalDevice()).put("supporterName", supporterName)
        .put("supporterContact", supporterContact).put("consent", consent).put("plan", plan)
        .put("evacuationSite", evacuationSite).put("latitude", latitude).put("longitude", longitude)
        .put("approximate", approximate);
  }

  /** A short line for the diff screen. */
  JsonObject summary() {
    return new JsonObject().put("key", key).put("name", name).put("kana", kana).put("birthDate", birthDate)
        .put("district", district);
  }
}
