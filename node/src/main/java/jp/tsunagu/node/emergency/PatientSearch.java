package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.List;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.care.EmergencyRecords;

/**
 * What a crew searches by: a name (kanji, katakana or hiragana, the whole name or the family name)
 * with the birth date, or the phone number, or a part of the address. One of the three; a name
 * without a birth date is refused, since a name alone finds too many people to be safe.
 */
record PatientSearch(String by, String name, String kana, String birthDate, String phone, String address) {

  /** An address part must say this much before it is looked up (a town name alone matches everyone). */
  private static final int ADDRESS_MIN = 4;

  static PatientSearch from(JsonObject body) {
    CareInput in = new CareInput(body);
    String phone = Phones.digits(Phones.checked(in.optionalText("phone", "電話番号", 20), "電話番号"));
    String address = compact(in.optionalText("address", "住所", 200));
    String name = compact(in.optionalText("name", "氏名", 80));
    String birth = in.optionalText("birthDate", "生年月日", 10);
    if (!phone.isEmpty()) {
      if (phone.length() < 10 || phone.length() > 11) {
        throw CareInput.malformed("電話番号");
      }
      return new PatientSearch("phone", "", "", "", phone, "");
    }
    if (!address.isEmpty()) {
      if (address.codePointCount(0, address.length()) < ADDRESS_MIN) {
        throw EmergencyErrors.tooBroad();
      }
      return new PatientSearch("address", "", "", "", "", address);
    }
    if (name.isEmpty()) {
      throw EmergencyErrors.searchEmpty();
    }
    if (birth.isEmpty()) {
      throw EmergencyErrors.birthDateRequired();
    }
    return new PatientSearch("name", name, katakana(name), CareInput.date(birth, "生年月日").toString(), "", "");
  }

  /** Up to {@code limit} people found on this node. */
  List<EmergencyRecords.Candidate> run(EmergencyRecords records, Connection c, int limit) throws SQLException {
    return switch (by) {
      case "phone" -> records.byPhone(c, phone, limit);
      case "address" -> records.byAddress(c, address, limit);
      default -> records.byName(c, name, kana, birthDate, limit);
    };
  }

  /** Width-normalised (ＡＢＣ, ｶﾅ), without spaces of either width. */
  private static String compact(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).replaceAll("[\\s　]", "");
  }

  /** Hiragana as katakana, so ほしの and ホシノ find the same person (kana is stored in katakana). */
  private static String katakana(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> out.appendCodePoint(cp >= 0x3041 && cp <= 0x3096 ? cp + 0x60 : cp));
    return out.toString();
  }
}
