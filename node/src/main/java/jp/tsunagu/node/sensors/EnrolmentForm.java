package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;

/**
 * Reads an enrolment request into a household, before anything is stored: each problem is a stable
 * code naming the field ({@code details.field}), so the screen can point at it.
 */
final class EnrolmentForm {

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern PHONE = Pattern.compile("[0-9+][0-9-]{5,19}");
  private static final Pattern MAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s.]{1,63}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Pattern PERSON_KEY = Pattern.compile("[^\\p{Cntrl}/]{1,60}/\\d{4}-\\d{2}-\\d{2}");
  private static final int MAX_DEVICES = 10;
  private static final int MAX_CONTACTS = 5;

  private EnrolmentForm() {}

  static Household parse(JsonObject body, String id, String userId, String now) {
    String patientId = optional(body, "patientId");
    String personKey = optional(body, "registerPersonKey");
    if (patientId == null && personKey == null) {
      throw problem("sensors.resident_required", "resident", "見守る方を、患者または要援護者台帳の方から選んでください。");
    }
    // A register person is named as the register names them: ふりがな and birth date ("カスガトメ/1931-05-12").
    if (patientId != null && !KEY.matcher(patientId).matches() || personKey != null && !PERSON_KEY.matcher(personKey)
        .matches()) {
      throw problem("sensors.invalid_field", "resident", "見守る方の指定が正しくありません。");
    }
    // A register person's name, address, 地区 and phone come from the register at enrolment, not from the form.
    boolean fromRegister = patientId == null;
    String name = fromRegister ? "" : text(body, "residentName", "氏名", 60);
    String address = fromRegister ? "" : text(body, "address", "住所", 200);
    String district = fromRegister ? "" : text(body, "district", "地区", 40);
    String phone = fromRegister ? "" : phone(body.getValue("phone"), "phone");
    Household.Consent consent = consent(body.getValue("consent"));
    List<Household.Device> devices = devices(body.getValue("devices"));
    List<Household.Contact> contacts = contacts(body.getValue("contacts"));
    JsonObject rules = body.getValue("rules") instanceof JsonObject r ? r : new JsonObject();
    Integer hours = rules.getValue("noActivityHours") == null ? null : number(rules, "noActivityHours", 3, 72);
    HouseholdRules thresholds = new HouseholdRules(
        deci(rules, "heatTemp", 20, 40, HouseholdRules.DEFAULTS.heatTempDeci()),
        deci(rules, "heatHumidity", 30, 100, HouseholdRules.DEFAULTS.heatHumidityDeci()),
        deci(rules, "coldTemp", 0, 20, HouseholdRules.DEFAULTS.coldTempDeci()));
    return new Household(id, patientId, personKey, name, address, district, phone, "active", consent, hours, userId,
        now, null, contacts, devices, thresholds);
  }

  private static Household.Consent consent(Object value) {
    if (!(value instanceof JsonObject c)) {
      throw problem("sensors.consent_required", "consent", "同意の記録（同意した方・続柄・日付）を入力してください。");
    }
    String by = text(c, "by", "同意した方", 60);
    String relation = text(c, "relation", "続柄", 20);
    String at = text(c, "at", "同意日", 10);
    try {
      LocalDate.parse(at);
    } catch (DateTimeParseException e) {
      throw problem("sensors.invalid_field", "at", "同意日は YYYY-MM-DD で入力してください。");
    }
    return new Household.Consent(by, relation, at, optional(c, "scanId"));
  }

  private static List<Household.Device> devices(Object value) {
    if (!(value instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_DEVICES) {
      throw problem("sensors.devices_required", "devices", "センサーを1〜" + MAX_DEVICES + "台登録してください。");
    }
    List<Household.Device> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject d) || !(d.getValue("id") instanceof String deviceId)
          || !DEVICE_ID.matcher(deviceId).matches() || !ids.add(deviceId)
          || !HouseholdPlaces.PLACES.contains(d.getValue("place")) || !(d.getValue("gatewayId") instanceof String gw)
          || !DEVICE_ID.matcher(gw).matches()) {
        throw problem("sensors.device_invalid", "devices", "センサーの機器ID・設置場所・ゲートウェイを正しく入力してください。");
      }
      String place = d.getString("place");
      out.add(new Household.Device(deviceId, gw, place, HouseholdPlaces.kind(place), null, null));
    }
    if (out.stream().noneMatch(d -> "door".equals(d.kind()))) {
      throw problem("sensors.door_sensor_required", "devices", "ドアのセンサー（玄関・冷蔵庫・浴室・トイレ）を1台以上登録してください。");
    }
    return out;
  }

  private static List<Household.Contact> contacts(Object value) {
    if (!(value instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_CONTACTS) {
      throw problem("sensors.contacts_required", "contacts", "家族の連絡先を1〜" + MAX_CONTACTS + "件、連絡する順に入力してください。");
    }
    List<Household.Contact> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject c)) {
        throw problem("sensors.contact_invalid", "contacts", "家族の連絡先が正しくありません。");
      }
      String mail = optional(c, "mail");
      if (mail != null && !MAIL.matcher(mail).matches()) {
        throw problem("sensors.contact_invalid", "contacts", "家族のメールアドレスが正しくありません。");
      }
      out.add(new Household.Contact(out.size() + 1, text(c, "name", "家族の氏名", 60), text(c, "relation", "続柄", 20),
          phone(c.getValue("phone"), "contacts"), mail == null ? "" : mail));
    }
    return out;
  }

  private static String phone(Object value, String field) {
    String phone = value instanceof String s ? s.strip() : "";
    if (!PHONE.matcher(phone).matches()) {
      throw problem("sensors.invalid_phone", field, "電話番号は数字とハイフンで入力してください。");
    }
    return phone;
  }

  private static String text(JsonObject body, String field, String label, int max) {
    String value = body.getValue(field) instanceof String s ? s.strip() : "";
    if (value.isEmpty() || value.length() > max || value.chars().anyMatch(ch -> ch < 0x20)) {
      throw problem("sensors.invalid_field", field, label + "を" + max + "文字以内で入力してください。");
    }
    return value;
  }

  private static String optional(JsonObject body, String field) {
    return body.getValue(field) instanceof String s && !s.isBlank() ? s.strip() : null;
  }

  private static int number(JsonObject rules, String field, int min, int max) {
    if (!(rules.getValue(field) instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < min
        || n.intValue() > max) {
      throw problem("sensors.rule_invalid", field, "無活動の時間は" + min + "〜" + max + "時間で入力してください。");
    }
    return n.intValue();
  }

  private static int deci(JsonObject rules, String field, int min, int max, int fallback) {
    Object value = rules.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      throw problem("sensors.rule_invalid", field, "しきい値は" + min + "〜" + max + "の範囲で入力してください。");
    }
    return (int) Math.round(n.doubleValue() * 10);
  }

  private static CodedException problem(String code, String field, String message) {
    return new CodedException(CodedException.Kind.INVALID, code, message, new JsonObject().put("field", field));
  }
}
