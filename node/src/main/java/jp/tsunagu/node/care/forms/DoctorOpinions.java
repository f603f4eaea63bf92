package jp.tsunagu.node.care.forms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.pdf.JapanesePdfFont;

/**
 * What another feature may take of a patient's 主治医意見書 filed on the platform: the latest version of
 * the latest one, as a PDF without the patient's block (name, kana, birth date, address) and without the
 * writer's name and facility, so a reader learns the medical content and not who it is about or who
 * wrote it. Only for a patient homed on this node (a partner's replica is the partner's record); the
 * caller decides who may ask, records the consent and audits the read.
 *
 * <p>The form's free text (特記すべき事項) is written by the doctor as she likes and may name people; the
 * caller may show a {@link Preview} and take the opinion with that text replaced for its readers. The
 * form itself is never changed.
 */
public final class DoctorOpinions {

  /** The form the opinion is filed on. */
  static final String TEMPLATE = "shujii_ikensho";

  /** The field of the free text (5. 特記すべき事項) a caller may replace in its copy. */
  static final String FREE_TEXT = "remarks";

  /**
   * The rendered opinion and the post it came from (for the caller's audit entry); {@code freeTextAsWritten}
   * is the form's own free text, so the caller can tell whether its copy differs.
   */
  public record Opinion(String postId, int version, byte[] pdf, String freeTextAsWritten) {}

  /** A patient found for the picker: the minimum that tells two people apart, and her forms' dates. */
  public record Candidate(String patientId, String name, String birthDate, List<String> formDates) {}

  /** One answer of the form as readers will see it. */
  public record Line(String label, String value) {}

  /** One section of the form. */
  public record Part(String title, List<Line> lines) {}

  /**
   * The opinion as its readers will see it (no patient block, no writer), with the free text apart:
   * {@code parts} holds every section but the free text's.
   */
  public record Preview(String postId, int version, String title, List<Part> parts, String freeTextLabel,
      String freeText) {}

  private final NodeServices services;

  public DoctorOpinions(NodeServices services) {
    this.services = services;
  }

  /** The patient's latest 主治医意見書 without identifying data, or empty when there is none to take. */
  public Future<Optional<Opinion>> anonymised(Vertx vertx, String patientId) {
    return anonymised(vertx, patientId, Optional.empty());
  }

  /**
   * As {@link #anonymised(Vertx, String)}, with the free text replaced by {@code freeText} when present
   * (the caller's redaction for its readers; an empty text is shown as an empty answer).
   */
  public Future<Optional<Opinion>> anonymised(Vertx vertx, String patientId, Optional<String> freeText) {
    return services.database().read(c -> latest(c, patientId)).compose(post -> post.isEmpty()
        ? Future.succeededFuture(Optional.<Opinion>empty())
        : vertx.executeBlocking(() -> Optional.of(new Opinion(post.get().id(), post.get().version(),
            FormPdf.render(JapanesePdfFont.find(JapanesePdfFont.systemFonts()), document(post.get(), freeText)),
            freeText(post.get())))));
  }

  /** What {@link #anonymised} would render, with the free text apart for the caller to edit. */
  public Future<Optional<Preview>> preview(String patientId) {
    return services.database().read(c -> latest(c, patientId)).map(post -> post.map(p -> {
      FormTemplate template = FormTemplates.byId(p.formType()).orElseThrow();
      FormDocument document = document(p, Optional.empty());
      List<Part> parts = new java.util.ArrayList<>();
      String label = "";
      for (int i = 0; i < template.sections().size(); i++) {
        FormTemplate.Section section = template.sections().get(i);
        List<Line> lines = new java.util.ArrayList<>();
        for (int j = 0; j < section.fields().size(); j++) {
          FormDocument.Entry entry = document.sections().get(i).entries().get(j);
          if (section.fields().get(j).key().equals(FREE_TEXT)) {
            label = entry.label();
          } else {
            lines.add(new Line(entry.label(), entry.value()));
          }
        }
        if (!lines.isEmpty()) {
          parts.add(new Part(section.title(), List.copyOf(lines)));
        }
      }
      return new Preview(p.id(), p.version(), document.title(), List.copyOf(parts), label, freeText(p));
    }));
  }

  /**
   * Patients homed here with a 主治医意見書 on the platform, by name (kanji or kana, whole or family) and
   * the exact birth date (ISO); the caller checks the role and audits the search.
   */
  public Future<List<Candidate>> search(String name, String birthDate) {
    return services.database().read(c -> OpinionPatients.find(c, name, birthDate));
  }

  private static String freeText(Post post) {
    Object value = new JsonObject(post.formData()).getJsonObject("values", new JsonObject()).getValue(FREE_TEXT);
    return value == null ? "" : value.toString();
  }

  private static Optional<Post> latest(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.id from posts p join care_boards b on b.id = p.board_id"
        + " join patients pt on pt.id = b.id where b.id = ? and b.home_node is null and pt.status = 'active'"
        + " and p.kind = 'form' and p.form_type = ? and p.status <> 'deleted' and p.direct = 0"
        + " order by p.seq desc limit 1")) {
      s.setString(1, patientId);
      s.setString(2, TEMPLATE);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(PostSql.byId(c, rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** The form's sections as filed; the patient block is left out and the footer keeps only the dates. */
  static FormDocument document(Post post, Optional<String> freeText) {
    FormTemplate template = FormTemplates.byId(post.formType()).orElseThrow();
    JsonObject values = new JsonObject(post.formData()).getJsonObject("values", new JsonObject()).copy();
    freeText.ifPresent(text -> {
      if (text.isBlank()) {
        values.remove(FREE_TEXT);
      } else {
        values.put(FREE_TEXT, text);
      }
    });
    List<FormDocument.Section> sections = template.sections().stream().map(s -> new FormDocument.Section(s.title(),
        s.fields().stream().map(f -> new FormDocument.Entry(f.label(), FormDocument.answer(f, values.getValue(f.key()))))
            .toList())).toList();
    return new FormDocument(template.title(), List.of(), sections, List.of(new FormDocument.Entry("出典",
        "プラットフォーム上の様式（第" + post.version() + "版）。氏名・住所・記入者・医療機関名は記載していません。")));
  }
}
