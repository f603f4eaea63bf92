package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/** The validation step of a referral request. */
final class ReferralInput {

  private ReferralInput() {}

  /**
   * With {@code patientId} the resident is that patient (named later from their record, after the
   * membership check); without it the resident's name must be typed.
   */
  static Referral validate(JsonObject body, String createdBy, Instant now) {
    Optional<String> patient = Optional.ofNullable(text(body, "patientId", "患者", 64, false)).filter(p -> !p.isEmpty());
    if (patient.isPresent() && !patient.get().matches("[A-Za-z0-9_-]+")) {
      throw CodedException.invalid("referrals.invalid_field", "患者の指定が正しくありません。");
    }
    String resident = text(body, "residentName", "紹介する方のお名前", 60, patient.isEmpty());
    String referrer = text(body, "referrerName", "紹介者", 60, true);
    String organization = text(body, "referrerOrganization", "紹介者の所属", 100, false);
    String comment = text(body, "comment", "ひとこと", 1000, false);
    String originLabel = text(body, "originLabel", "基準地点", 200, false);
    Optional<GeoPoint> origin = Optional.empty();
    JsonObject point = body.getValue("origin") instanceof JsonObject o ? o : null;
    if (point != null) {
      if (!(point.getValue("latitude") instanceof Number lat) || !(point.getValue("longitude") instanceof Number lon)
          || !new GeoPoint(lat.doubleValue(), lon.doubleValue()).inJapan()) {
        throw CodedException.invalid("resources.invalid_point", "基準地点の緯度・経度が正しくありません。");
      }
      origin = Optional.of(new GeoPoint(lat.doubleValue(), lon.doubleValue()));
    }
    List<String> ids = new ArrayList<>();
    if (body.getValue("resourceIds") instanceof JsonArray array) {
      for (Object id : array) {
        if (!(id instanceof String s) || !Ids.wellFormed(s)) {
          throw CodedException.invalid("referrals.invalid_resource", "紹介する資源の指定が正しくありません。");
        }
        ids.add(s);
      }
    }
    ids = new ArrayList<>(new LinkedHashSet<>(ids));
    List<Referral.PartnerItem> partners = partnerResources(body);
    if (ids.size() + partners.size() == 0 || ids.size() + partners.size() > 10) {
      throw CodedException.invalid("referrals.resources_required", "紹介する資源を1〜10件選んでください。");
    }
    return new Referral(Ids.next(), resident, referrer, organization, comment, originLabel, origin, ids, partners,
        Optional.of(createdBy), now, patient);
  }

  /** {@code partnerResources}: [{node, id}] of partner nodes' resources, each once. */
  private static List<Referral.PartnerItem> partnerResources(JsonObject body) {
    Object value = body.getValue("partnerResources");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalidPartnerResource();
    }
    LinkedHashSet<Referral.PartnerItem> wanted = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject o) || !(o.getValue("node") instanceof String node)
          || !node.matches("[a-z0-9-]{2,40}") || !(o.getValue("id") instanceof String id) || !id.matches("[A-Za-z0-9_-]{1,40}")) {
        throw invalidPartnerResource();
      }
      wanted.add(Referral.PartnerItem.wanted(node, id));
    }
    return List.copyOf(wanted);
  }

  private static CodedException invalidPartnerResource() {
    return CodedException.invalid("referrals.invalid_resource", "紹介する連携市町村の資源の指定が正しくありません。");
  }

  private static String text(JsonObject body, String key, String label, int max, boolean required) {
    Object value = body.getValue(key);
    String text = value instanceof String s ? s.strip() : "";
    if (value != null && !(value instanceof String)) {
      throw CodedException.invalid("referrals.invalid_field", label + "は文字で入力してください。");
    }
    if (required && text.isEmpty()) {
      throw CodedException.invalid("referrals.required", label + "を入力してください。");
    }
    if (text.codePointCount(0, text.length()) > max) {
      throw CodedException.invalid("referrals.too_long", label + "は" + max + "文字以内にしてください。");
    }
    return text;
  }
}
