package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.CareContext;

/**
 * A filled form as people read it, the same for the print page and the PDF: the patient, every
 * section of the template with every field (empty ones shown as such, as on the paper form), and
 * who wrote it when.
 */
record FormDocument(String title, List<Entry> patient, List<Section> sections, List<Entry> footer) {

  /** A label and its answer as text. */
  record Entry(String label, String value) {}

  record Section(String title, List<Entry> entries) {}

  static final String EMPTY = "—";
  private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu年M月d日 HH:mm");
  private static final DateTimeFormatter ERA = DateTimeFormatter.ofPattern("GGGGy年", Locale.JAPAN);

  /** The form at one of its versions; after an edit the footer says which version and when it was written. */
  static FormDocument of(FormTemplate template, JsonObject values, Post post, PostSql.Version version,
      Patient patient) {
    Patient.Details d = patient.details();
    List<Entry> who = List.of(new Entry("氏名", d.familyName() + " " + d.givenName() + " 様"),
        new Entry("ふりがな", d.familyKana() + " " + d.givenKana()),
        new Entry("生年月日", date(d.birthDate()) + "（" + sex(d.sex()) + "）"),
        new Entry("住所", d.address()), new Entry("要介護度", d.careLevel()));
    List<Section> sections = template.sections().stream().map(s -> new Section(s.title(),
        s.fields().stream().map(f -> new Entry(f.label(), answer(f, values.getValue(f.key())))).toList())).toList();
    List<Entry> footer = new ArrayList<>(List.of(
        new Entry("記入者", post.authorName() + "（" + post.authorProfession() + "）"),
        new Entry("所属", post.authorFacility()),
        new Entry("作成日時", written(post.createdAt()))));
    if (post.version() > 1) {
      footer.add(new Entry("版", "第" + version.version() + "版" + (version.version() < post.version()
          ? "（最新は第" + post.version() + "版）" : "（最新）")));
      footer.add(new Entry("この版の記入日時", written(version.writtenAt())));
    }
    footer.add(new Entry("記録番号", post.id()));
    return new FormDocument(template.title(), who, sections, List.copyOf(footer));
  }

  private static String written(String instant) {
    return WRITTEN.format(Instant.parse(instant).atZone(CareContext.JAPAN));
  }

  /** An answer as text: dates in Japanese, ticked boxes joined, an empty answer as {@link #EMPTY}. */
  static String answer(FormField field, Object value) {
    if (value == null) {
      return EMPTY;
    }
    return switch (field.kind()) {
      case DATE -> date(LocalDate.parse(value.toString()));
      case CHECKBOXES -> String.join("、", ((JsonArray) value).stream().map(String::valueOf).toList());
      default -> value.toString();
    };
  }

  /** Western year with the era year after it, as Japanese care paperwork is read both ways. */
  static String date(LocalDate date) {
    String western = date.getYear() + "年" + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
    return date.getYear() < 1873 ? western : western + "（" + ERA.format(JapaneseDate.from(date)) + "）";
  }

  private static String sex(String code) {
    return switch (code) {
      case "female" -> "女";
      case "male" -> "男";
      default -> "その他";
    };
  }
}
