package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.InvalidFields;

/** 施設登録申請: the validated fields of a facility's application (the password kept only until hashed). */
record RegistrationForm(String facilityName, String prefecture, String municipalityCode, String category,
    String familyName, String givenName, String familyKana, String givenKana, String profession, String email,
    String loginId, String password, String deviceType) {

  /** Validates every field and names every problem at once ({@link InvalidFields}). */
  static RegistrationForm parse(Fields f, NodeConfig config) {
    FieldProblems p = new FieldProblems();
    String facilityName = p.check("facilityName", () -> f.text("facilityName", "施設名", 100));
    String prefecture = p.check("prefecture", () -> f.text("prefecture", "都道府県", 10));
    String municipalityCode = p.check("municipalityCode",
        () -> municipality(f.oneOf("municipalityCode", "市区町村", config.node().municipalities()), prefecture));
    String category = p.check("category", () -> f.oneOf("category", "施設種別", FacilityCategory.LABELS.keySet()));
    String familyName = p.check("familyName", () -> f.text("familyName", "管理者の姓", 40));
    String givenName = p.check("givenName", () -> f.text("givenName", "管理者の名", 40));
    String familyKana = p.check("familyKana", () -> f.kana("familyKana", "管理者の姓（カナ）", 40));
    String givenKana = p.check("givenKana", () -> f.kana("givenKana", "管理者の名（カナ）", 40));
    List<String> professions = ReferenceData.get().professions().stream().map(ReferenceData.Profession::code).toList();
    String profession = p.check("profession", () -> f.oneOf("profession", "職種", professions));
    String email = p.check("email", () -> f.matching("email", "メールアドレス", 254, Fields.EMAIL));
    String emailAgain = p.check("emailConfirm", () -> f.text("emailConfirm", "メールアドレス（確認）", 254));
    if (email != null && emailAgain != null && !email.equals(emailAgain)) {
      p.add("emailConfirm", CodedException.invalid("validation.email_mismatch", "メールアドレスが確認用と一致しません。"));
    }
    String loginId = p.check("loginId", () -> f.matching("loginId", "ログインID", 32, Fields.LOGIN_ID));
    String password = p.check("password", () -> f.newPassword("password", loginId == null ? "" : loginId));
    String deviceType = p.check("deviceType", () -> f.oneOf("deviceType", "端末種別", DeviceType.CODES));
    p.throwIfAny();
    return new RegistrationForm(facilityName, prefecture, municipalityCode, category, familyName, givenName,
        familyKana, givenKana, profession, email.toLowerCase(java.util.Locale.ROOT), loginId, password, deviceType);
  }

  private static String municipality(String code, String prefecture) {
    ReferenceData.Municipality municipality = ReferenceData.get().municipality(code).orElseThrow(
        () -> CodedException.invalid("validation.malformed", "市区町村の形式が正しくありません。"));
    if (prefecture != null && !municipality.prefecture().equals(prefecture)) {
      throw CodedException.invalid("validation.malformed", "都道府県と市区町村が一致しません。");
    }
    return code;
  }

  /** The fields as shown on the confirmation step: everything but the password. */
  JsonObject toJson() {
    return new JsonObject().put("facilityName", facilityName).put("prefecture", prefecture)
        .put("municipalityCode", municipalityCode).put("category", category)
        .put("categoryLabel", FacilityCategory.LABELS.get(category)).put("familyName", familyName)
        .put("givenName", givenName).put("familyKana", familyKana).put("givenKana", givenKana)
        .put("profession", profession).put("email", email).put("loginId", loginId).put("deviceType", deviceType);
  }
}
