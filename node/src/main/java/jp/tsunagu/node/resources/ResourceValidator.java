package jp.tsunagu.node.resources;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * The validation step for one resource, shared by the staff API and CSV import: every problem is
 * collected (not just the first), so staff can fix a whole row or form at once.
 */
final class ResourceValidator {

  private static final Pattern PHONE = Pattern.compile("0\\d{1,4}-?\\d{1,4}-?\\d{3,4}");
  private static final Pattern KANA = Pattern.compile("[\\p{IsKatakana}\\p{IsHiragana}ー・\\s　0-9０-９A-Za-zＡ-Ｚａ-ｚ()（）]*");
  private static final Pattern TAG_SEPARATORS = Pattern.compile("[;；、,，]");

  /** The outcome: fields when there is no problem. */
  record Result(Optional<ResourceFields> fields, List<FieldProblem> problems) {}

  private final Vocabulary vocabulary;
  private final Set<String> municipalities;

  ResourceValidator(Vocabulary vocabulary, Set<String> municipalities) {
    this.vocabulary = vocabulary;
    this.municipalities = Set.copyOf(municipalities);
  }

  Result validate(Map<ResourceField, String> raw) {
    Checker c = new Checker(raw);
    for (ResourceField field : ResourceField.values()) {
      c.length(field);
    }
    String name = c.required(ResourceField.NAME);
    String kana = c.text(ResourceField.NAME_KANA);
    if (!KANA.matcher(kana).matches()) {
      c.problem(ResourceField.NAME_KANA, "resources.invalid_kana", "名称_カナはカタカナで入力してください。");
    }
    Optional<Category> category = category(c);
    Optional<String> subCategory = subCategory(c, category);
    List<String> tags = tags(c);
    String municipality = c.required(ResourceField.MUNICIPALITY_CODE);
    if (!municipality.isEmpty() && !municipalities.contains(municipality)) {
      c.problem(ResourceField.MUNICIPALITY_CODE, "resources.municipality_not_served",
          "市区町村コード「" + municipality + "」はこのネットワークの対象市町村ではありません（" + String.join("、", municipalities) + "）。");
    }
    String address = c.required(ResourceField.ADDRESS);
    Optional<Double> lat = c.decimal(ResourceField.LATITUDE, 20, 46);
    Optional<Double> lon = c.decimal(ResourceField.LONGITUDE, 122, 154);
    String phone = c.phone(ResourceField.PHONE);
    String fax = c.phone(ResourceField.FAX);
    String url = c.text(ResourceField.URL);
    if (!url.isEmpty() && !url.matches("https?://[^\\s<>\"]+")) {
      c.problem(ResourceField.URL, "resources.invalid_url", "URL は http:// または https:// で始めてください。");
    }
    Schedule schedule = new Schedule(rules(c), c.text(ResourceField.SCHEDULE_NOTE));
    Optional<Integer> capacity = c.integer(ResourceField.CAPACITY, 0, 100_000);
    Optional<LocalDate> lastVerified = date(c);
    if (!c.problems.isEmpty() || category.isEmpty() || lat.isEmpty() || lon.isEmpty()) {
      return new Result(Optional.empty(), c.problems);
    }
    return new Result(Optional.of(new ResourceFields(name, kana, category.get().code(), subCategory, tags,
        municipality, address, c.text(ResourceField.BUILDING), new GeoPoint(lat.get(), lon.get()), phone, fax, url,
        c.text(ResourceField.DESCRIPTION), schedule, c.text(ResourceField.FEE), capacity,
        c.text(ResourceField.TRANSPORT), c.text(ResourceField.ACCESSIBILITY), c.text(ResourceField.CONTACT),
        c.text(ResourceField.OPERATOR_NAME), lastVerified)), List.of());
  }

  /** Reads "公開"/"非公開" and friends; absent means not published. */
  static Optional<Boolean> published(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case "", "非公開", "0", "false", "いいえ" -> Optional.of(false);
      case "公開", "1", "true", "はい" -> Optional.of(true);
      default -> Optional.empty();
    };
  }

  private Optional<Category> category(Checker c) {
    String value = c.required(ResourceField.CATEGORY);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<Category> category = vocabulary.topLevelByName(value);
    if (category.isEmpty()) {
      c.problem(ResourceField.CATEGORY, "resources.unknown_category", "カテゴリ「" + value + "」は登録されていません（"
          + String.join("、", vocabulary.topLevel().stream().map(Category::nameJa).toList()) + "）。");
    }
    return category;
  }

  private Optional<String> subCategory(Checker c, Optional<Category> category) {
    String value = c.text(ResourceField.SUB_CATEGORY);
    if (value.isEmpty() || category.isEmpty()) {
      return Optional.empty();
    }
    Optional<Category> sub = vocabulary.childByName(category.get().code(), value);
    if (sub.isEmpty()) {
      c.problem(ResourceField.SUB_CATEGORY, "resources.unknown_sub_category",
          "サブカテゴリ「" + value + "」は「" + category.get().nameJa() + "」にありません。");
    }
    return sub.map(Category::code);
  }

  private List<String> tags(Checker c) {
    Set<String> tags = new LinkedHashSet<>();
    for (String tag : TAG_SEPARATORS.split(c.text(ResourceField.TAGS))) {
      String t = tag.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (vocabulary.tags().contains(t)) {
        tags.add(t);
      } else {
        c.problem(ResourceField.TAGS, "resources.unknown_tag", "タグ「" + t + "」は登録されていません。");
      }
    }
    return new ArrayList<>(tags);
  }

  private List<Recurrence> rules(Checker c) {
    List<Recurrence> rules = new ArrayList<>();
    for (String rule : c.text(ResourceField.SCHEDULE_RULES).split("[;；]")) {
      if (rule.isBlank()) {
        continue;
      }
      String problem = Recurrence.problem(rule);
      if (problem == null) {
        rules.add(Recurrence.parse(rule).orElseThrow());
      } else {
        c.problem(ResourceField.SCHEDULE_RULES, "resources.invalid_schedule", problem);
      }
    }
    return rules;
  }

  private Optional<LocalDate> date(Checker c) {
    String value = c.text(ResourceField.LAST_VERIFIED).replace('/', '-');
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      String[] p = value.split("-");
      return Optional.of(LocalDate.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])));
    } catch (RuntimeException e) {
      c.problem(ResourceField.LAST_VERIFIED, "resources.invalid_date",
          "最終確認日「" + value + "」は日付ではありません（例: 2025-04-01）。");
      return Optional.empty();
    }
  }

  /** Field-level checks that record problems instead of stopping at the first. */
  private static final class Checker {
    private final Map<ResourceField, String> raw;
    private final List<FieldProblem> problems = new ArrayList<>();

    Checker(Map<ResourceField, String> raw) {
      this.raw = new EnumMap<>(ResourceField.class);
      raw.forEach((k, v) -> this.raw.put(k, v == null ? "" : policy(k, v).strip()));
    }

    /** The node's text policy, as for the staff API's body: a CSV cell gets the rule of its field. */
    private String policy(ResourceField field, String value) {
      TextRule rule = TextInventory.rule(TextInventory.RESOURCE, field.key());
      if (rule == null) {
        return value;
      }
      try {
        return TextPolicy.normalise(value, rule);
      } catch (CodedException refused) {
        problem(field, refused.code(), refused.getMessage());
        return "";
      }
    }

    void problem(ResourceField field, String code, String message) {
      problems.add(new FieldProblem(0, field, code, message));
    }

    String text(ResourceField field) {
      return raw.getOrDefault(field, "");
    }

    void length(ResourceField field) {
      String text = text(field);
      if (text.codePointCount(0, text.length()) > field.maxLength()) {
        problem(field, "resources.too_long", field.headerJa() + "は" + field.maxLength() + "文字以内にしてください。");
        raw.put(field, text.substring(0, text.offsetByCodePoints(0, field.maxLength())));
      }
    }

    String required(ResourceField field) {
      String value = text(field);
      if (value.isEmpty()) {
        problem(field, "resources.required", field.headerJa() + "を入力してください。");
      }
      return value;
    }

    Optional<Double> decimal(ResourceField field, double min, double max) {
      String value = required(field);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        double number = Double.parseDouble(value);
        if (number >= min && number <= max) {
          return Optional.of(number);
        }
        problem(field, "resources.out_of_range", field.headerJa() + "「" + value + "」は日本の範囲（" + min + "〜" + max
            + "）にありません。");
      } catch (NumberFormatException e) {
        problem(field, "resources.invalid_number", field.headerJa() + "「" + value + "」は数値ではありません。");
      }
      return Optional.empty();
    }

    Optional<Integer> integer(ResourceField field, int min, int max) {
      String value = text(field);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (value.matches("\\d{1,7}") && Integer.parseInt(value) >= min && Integer.parseInt(value) <= max) {
        return Optional.of(Integer.parseInt(value));
      }
      problem(field, "resources.invalid_number", field.headerJa() + "「" + value + "」は" + min + "〜" + max
          + "の整数で入力してください。");
      return Optional.empty();
    }

    String phone(ResourceField field) {
      String value = text(field).replace('－', '-').replace('ー', '-');
      if (!value.isEmpty() && !PHONE.matcher(value).matches()) {
        problem(field, "resources.invalid_phone", field.headerJa() + "「" + value + "」は電話番号の形式ではありません（例: 0265-78-4111）。");
      }
      return value;
    }
  }
}
