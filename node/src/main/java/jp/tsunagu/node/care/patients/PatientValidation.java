package jp.tsunagu.node.care.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;
import jp.tsunagu.node.care.CareInput;

/**
 * The one validation of a patient's details, shared by the registration form and the CSV bulk
 * registration: each problem is a {@link CodedException} with a stable code naming the field.
 */
final class PatientValidation {

  static final List<String> CARE_LEVELS = List.of("未申請", "申請中", "自立", "要支援1", "要支援2", "要介護1", "要介護2",
      "要介護3", "要介護4", "要介護5");
  static final Map<String, String> SEX_BY_LABEL = Map.of("男", "male", "女", "female", "その他", "other",
      "male", "male", "female", "female", "other", "other");
  private static final Pattern KATAKANA = Pattern.compile("[\\u30A1-\\u30FA\\u30FC\\u30FB\\u3000 ]+");
  private static final Pattern PHONE = Pattern.compile("[0-9０-９+\\-() ]{0,20}");

  private final Set<String> servedMunicipalities;
  private final LocalDate today;

  PatientValidation(Set<String> servedMunicipalities, LocalDate today) {
    this.servedMunicipalities = servedMunicipalities;
    this.today = today;
  }

  /** Validates the fields, read by key through {@code field} (JSON body or CSV row); names every problem. */
  Patient.Details validate(Function<String, String> field) {
    FieldProblems p = new FieldProblems();
    String familyName = p.check("familyName", () -> required(field, "familyName", "氏", 40));
    String givenName = p.check("givenName", () -> required(field, "givenName", "名", 40));
    String familyKana = p.check("familyKana", () -> kana(required(field, "familyKana", "氏（カナ）", 40), "氏（カナ）"));
    String givenKana = p.check("givenKana", () -> kana(required(field, "givenKana", "名（カナ）", 40), "名（カナ）"));
    LocalDate birthDate = p.check("birthDate", () -> birthDate(required(field, "birthDate", "生年月日", 10)));
    String sex = p.check("sex", () -> {
      String value = SEX_BY_LABEL.get(required(field, "sex", "性別", 8));
      if (value == null) {
        throw CareInput.malformed("性別");
      }
      return value;
    });
    String address = p.check("address", () -> required(field, "address", "住所", 200));
    String municipality = p.check("municipalityCode",
        () -> municipality(required(field, "municipalityCode", "市町村", 6)));
    String phone = p.check("phone", () -> {
      String value = optional(field, "phone", "電話番号", 20);
      if (!PHONE.matcher(value).matches()) {
        throw CareInput.malformed("電話番号");
      }
      return value;
    });
    String careLevel = p.check("careLevel", () -> {
      String value = optional(field, "careLevel", "要介護度", 8);
      if (!value.isEmpty() && !CARE_LEVELS.contains(value)) {
        throw CareInput.malformed("要介護度");
      }
      return value.isEmpty() ? "未申請" : value;
    });
    String familyDoctor = p.check("familyDoctor", () -> optional(field, "familyDoctor", "かかりつけ医", 100));
    String contacts = p.check("emergencyContacts", () -> optional(field, "emergencyContacts", "緊急連絡先", 500));
    String acp = p.check("acpNotes", () -> optional(field, "acpNotes", "人生会議の記録", 4000));
    String remarks = p.check("remarks", () -> optional(field, "remarks", "備考", 2000));
    p.throwIfAny();
    return new Patient.Details(familyName, givenName, familyKana, givenKana, birthDate, sex, address, municipality,
        phone, familyDoctor, careLevel, contacts, acp, remarks);
  }

  private LocalDate birthDate(String text) {
    LocalDate birthDate = CareInput.date(text, "生年月日");
    if (birthDate.isAfter(today)) {
      throw CodedException.invalid("validation.bad_date", "生年月日が未来の日付です。");
    }
    return birthDate;
  }

  private String municipality(String code) {
    if (ReferenceData.get().municipality(code).isEmpty()) {
      throw CodedException.invalid("care.municipality_unknown", "市町村コード " + code + " は登録されていない市町村コードです。");
    }
    if (!servedMunicipalities.contains(code)) {
      throw CodedException.invalid("care.municipality_not_served", "市町村コード " + code + " はこのネットワークの対象地域ではありません。");
    }
    return code;
  }

  private static String kana(String text, String label) {
    if (!KATAKANA.matcher(text).matches()) {
      throw CodedException.invalid("validation.malformed", label + "は全角カタカナで入力してください。");
    }
    return text;
  }

  private static String required(Function<String, String> field, String key, String label, int max) {
    String text = optional(field, key, label, max);
    if (text.isEmpty()) {
      throw CodedException.invalid("validation.required", label + "を入力してください。");
    }
    return text;
  }

  private static String optional(Function<String, String> field, String key, String label, int max) {
    String raw = field.apply(key);
    TextRule rule = TextInventory.rule(TextInventory.PATIENT, key);
    return raw == null ? "" : CareInput.checkedText(rule == null ? raw : TextPolicy.normalise(raw, rule), label, max);
  }
}
