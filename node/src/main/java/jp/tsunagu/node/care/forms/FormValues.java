package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagu.node.errors.CodedException;

/**
 * Checks the answers of a filled form against its template before anything is stored, and hands
 * back only clean values: text stripped, dates as ISO dates, choices from their lists, empty
 * answers left out. Each refusal names the field in Japanese and carries a stable code.
 */
final class FormValues {

  /** Line breaks and tabs are normal in long answers; other control characters are not. */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\r\\t]]|\\p{Cf}");
  /** Dates on these forms are of living patients' care: anything outside this is a typo. */
  private static final int FIRST_YEAR = 1900;
  private static final int LAST_YEAR = 2100;

  private FormValues() {}

  static FormTemplate template(String id) {
    return FormTemplates.byId(id == null ? "" : id).orElseThrow(() ->
        CodedException.invalid("form.unknown_template", "書類の様式が見つかりません。一覧から選んでください。"));
  }

  /** A draft's answers: each checked like a sent form's, but any may still be empty. */
  static JsonObject draft(FormTemplate template, JsonObject values) {
    return answers(template, values, false);
  }

  static JsonObject clean(FormTemplate template, JsonObject values) {
    JsonObject clean = answers(template, values, true);
    for (FormField field : template.fields()) {
      requireOrder(field, clean);
    }
    return clean;
  }

  /** Each answer checked against its field; with {@code complete}, a required field left empty is refused. */
  private static JsonObject answers(FormTemplate template, JsonObject values, boolean complete) {
    JsonObject answers = values == null ? new JsonObject() : values;
    for (String key : answers.fieldNames()) {
      if (template.field(key).isEmpty()) {
        throw CodedException.invalid("form.field_unknown", "この様式にない項目が送られました（" + key + "）。");
      }
    }
    JsonObject clean = new JsonObject();
    for (FormField field : template.fields()) {
      Object value = value(field, answers.getValue(field.key()));
      if (value != null) {
        clean.put(field.key(), value);
      } else if (complete && field.required()) {
        throw CodedException.invalid("form.field_required", "「" + field.label() + "」を入力してください。");
      }
    }
    return clean;
  }

  /** The clean answer, or null when the field was left empty. */
  private static Object value(FormField field, Object raw) {
    if (raw == null || "".equals(raw)) {
      return null;
    }
    return switch (field.kind()) {
      case TEXT, LONG_TEXT -> text(field, raw);
      case DATE -> date(field, raw).toString();
      case CHOICE -> choice(field, raw);
      case CHECKBOXES -> checkboxes(field, raw);
    };
  }

  private static String text(FormField field, Object raw) {
    if (!(raw instanceof String string)) {
      throw invalid(field);
    }
    String text = string.strip();
    if (field.kind() == FormField.Kind.TEXT && text.contains("\n")) {
      throw invalid(field);
    }
    if (CONTROL.matcher(text).find()) {
      throw invalid(field);
    }
    if (text.codePointCount(0, text.length()) > field.max()) {
      throw CodedException.invalid("form.field_too_long",
          "「" + field.label() + "」は" + field.max() + "文字以内で入力してください。");
    }
    return text.isEmpty() ? null : text;
  }

  private static LocalDate date(FormField field, Object raw) {
    try {
      LocalDate date = LocalDate.parse(String.valueOf(raw));
      if (date.getYear() >= FIRST_YEAR && date.getYear() <= LAST_YEAR) {
        return date;
      }
    } catch (DateTimeParseException e) {
      // answered below, like a date out of range
    }
    throw CodedException.invalid("form.field_invalid",
        "「" + field.label() + "」は 2025-04-01 の形式の正しい日付で入力してください。");
  }

  private static String choice(FormField field, Object raw) {
    if (!(raw instanceof String choice) || !field.options().contains(choice)) {
      throw invalid(field);
    }
    return choice;
  }

  /** The ticked options in the template's order, each once; none ticked is an empty answer. */
  private static JsonArray checkboxes(FormField field, Object raw) {
    if (!(raw instanceof JsonArray ticked)) {
      throw invalid(field);
    }
    for (Object item : ticked) {
      if (!(item instanceof String option) || !field.options().contains(option)) {
        throw invalid(field);
      }
    }
    List<String> ordered = new ArrayList<>(field.options());
    ordered.retainAll(ticked.getList());
    return ordered.isEmpty() ? null : new JsonArray(ordered);
  }

  /** The end of a period may not come before its start. */
  private static void requireOrder(FormField field, JsonObject clean) {
    String date = clean.getString(field.key());
    String start = field.notBefore() == null ? null : clean.getString(field.notBefore());
    if (date != null && start != null && LocalDate.parse(date).isBefore(LocalDate.parse(start))) {
      throw CodedException.invalid("form.field_invalid", "「" + field.label() + "」は開始日以降の日付にしてください。");
    }
  }

  private static CodedException invalid(FormField field) {
    return CodedException.invalid("form.field_invalid",
        field.hasOptions() ? "「" + field.label() + "」は一覧から選んでください。"
            : "「" + field.label() + "」の内容が正しくありません。");
  }
}
