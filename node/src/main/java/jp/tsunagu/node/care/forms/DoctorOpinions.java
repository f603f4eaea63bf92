package jp.tsunagu.node.care.forms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>The form's free texts (経過及び治療内容, 身体の状態, 特記すべき事項 and the others) are written by the
 * doctor as she likes and may name people; the caller may show a {@link Preview}, with the identifying
 * text the node knows marked, and take the opinion with those texts replaced for its readers. The form
 * itself is never changed.
 */
public final class DoctorOpinions {

  /** The form the opinion is filed on. */
  static final String TEMPLATE = "shujii_ikensho";

  /** The field of 5. 特記すべき事項, the free text a caller named alone before every one was editable. */
  public static final String REMARKS = "remarks";

  /**
   * The rendered opinion and the post it came from (for the caller's audit entry); {@code asWritten} holds
   * the form's own free texts by field key, so the caller can tell which of its copy's differ, and
   * {@code identifying} the free texts of the copy that still carry identifying text (empty when none).
   */
  public record Opinion(String postId, int version, byte[] pdf, Map<String, String> asWritten,
      List<FreeText> identifying) {}

  /** Where a known identifying term occurs in a text (UTF-16 offsets) and of which kind it is. */
  public record Mark(int start, int end, String kind) {}

  /** One free-text field as the copy would carry it, with the identifying text in it marked. */
  public record FreeText(String key, String label, String text, List<Mark> marks) {}

  /** A patient found for the picker: the minimum that tells two people apart, and her forms' dates. */
  public record Candidate(String patientId, String name, String birthDate, List<String> formDates) {}

  /** One answer of the form as readers will see it. */
  public record Line(String label, String value) {}

  /** One section of the form. */
  public record Part(String title, List<Line> lines) {}

  /**
   * The opinion as its readers will see it (no patient block, no writer), with the free texts apart:
   * {@code parts} holds every answer chosen from options or dated, {@code freeTexts} every typed one.
   */
  public record Preview(String postId, int version, String title, List<Part> parts, List<FreeText> freeTexts) {}

  private final NodeServices services;

  public DoctorOpinions(NodeServices services) {
    this.services = services;
  }

  /** The patient's latest 主治医意見書 without identifying data, or empty when there is none to take. */
  public Future<Optional<Opinion>> anonymised(Vertx vertx, String patientId) {
    return anonymised(vertx, patientId, Map.of(), Map.of());
  }

  /**
   * As {@link #anonymised(Vertx, String)}, with each free text named in {@code edits} (by field key)
   * replaced for the caller's readers (an empty text is shown as an empty answer); keys that are not a
   * free text of the form are ignored. {@code alsoKnown} (term to kind) adds identifying data the caller
   * holds itself (a review case's insured number) to what the node looks for.
   */
  public Future<Optional<Opinion>> anonymised(Vertx vertx, String patientId, Map<String, String> edits,
      Map<String, String> alsoKnown) {
    return services.database().read(c -> found(c, patientId, alsoKnown))
        .compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Opinion>empty())
            : vertx.executeBlocking(() -> {
              Post post = found.get().post();
              List<FreeText> identifying = freeTexts(post, edits, found.get().known()).stream()
                  .filter(f -> !f.marks().isEmpty()).toList();
              return Optional.of(new Opinion(post.id(), post.version(), FormPdf.render(
                  JapanesePdfFont.find(JapanesePdfFont.systemFonts()), document(post, edits)),
                  asWritten(post), identifying));
            }));
  }

  /** What {@link #anonymised} would render, with the free texts apart for the caller to edit. */
  public Future<Optional<Preview>> preview(String patientId, Map<String, String> alsoKnown) {
    return services.database().read(c -> found(c, patientId, alsoKnown))
        .map(found -> found.map(f -> {
          Post p = f.post();
          FormTemplate template = FormTemplates.byId(p.formType()).orElseThrow();
          FormDocument document = document(p, Map.of());
          List<Part> parts = new ArrayList<>();
          for (int i = 0; i < template.sections().size(); i++) {
            FormTemplate.Section section = template.sections().get(i);
            List<Line> lines = new ArrayList<>();
            for (int j = 0; j < section.fields().size(); j++) {
              FormDocument.Entry entry = document.sections().get(i).entries().get(j);
              if (!typed(section.fields().get(j))) {
                lines.add(new Line(entry.label(), entry.value()));
              }
            }
            if (!lines.isEmpty()) {
              parts.add(new Part(section.title(), List.copyOf(lines)));
            }
          }
          return new Preview(p.id(), p.version(), document.title(), List.copyOf(parts),
              freeTexts(p, Map.of(), f.known()));
        }));
  }

  private record Found(Post post, IdentifyingText known) {}

  private static Optional<Found> found(Connection c, String patientId, Map<String, String> alsoKnown)
      throws SQLException {
    Optional<Post> post = latest(c, patientId);
    return post.isEmpty() ? Optional.empty() : Optional.of(new Found(post.get(), IdentifyingText.of(c,
        post.get().boardId(), post.get().authorName(), post.get().authorFacility(), alsoKnown)));
  }

  /** A field the doctor types into (as against one she picks or dates): where a name can hide. */
  private static boolean typed(FormField field) {
    return field.kind() == FormField.Kind.TEXT || field.kind() == FormField.Kind.LONG_TEXT;
  }

  /** Every free text of the form as the copy would carry it (edits applied), marked. */
  private static List<FreeText> freeTexts(Post post, Map<String, String> edits, IdentifyingText known) {
    FormTemplate template = FormTemplates.byId(post.formType()).orElseThrow();
    JsonObject values = values(post, edits);
    List<FreeText> out = new ArrayList<>();
    for (FormTemplate.Section section : template.sections()) {
      for (FormField field : section.fields()) {
        if (typed(field)) {
          Object value = values.getValue(field.key());
          String text = value == null ? "" : value.toString();
          out.add(new FreeText(field.key(), field.label(), text, known.marks(text)));
        }
      }
    }
    return out;
  }

  private static Map<String, String> asWritten(Post post) {
    Map<String, String> out = new LinkedHashMap<>();
    freeTexts(post, Map.of(), IdentifyingText.none()).forEach(f -> out.put(f.key(), f.text()));
    return out;
  }

  private static JsonObject values(Post post, Map<String, String> edits) {
    FormTemplate template = FormTemplates.byId(post.formType()).orElseThrow();
    JsonObject values = new JsonObject(post.formData()).getJsonObject("values", new JsonObject()).copy();
    template.sections().forEach(section -> section.fields().stream()
        .filter(f -> typed(f) && edits.containsKey(f.key())).forEach(f -> {
          String text = edits.get(f.key());
          if (text == null || text.isBlank()) {
            values.remove(f.key());
          } else {
            values.put(f.key(), text);
          }
        }));
    return values;
  }

  /**
   * Patients homed here with a 主治医意見書 on the platform, by name (kanji or kana, whole or family) and
   * the exact birth date (ISO); the caller checks the role and audits the search.
   */
  public Future<List<Candidate>> search(String name, String birthDate) {
    return services.database().read(c -> OpinionPatients.find(c, name, birthDate));
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
  static FormDocument document(Post post, Map<String, String> edits) {
    FormTemplate template = FormTemplates.byId(post.formType()).orElseThrow();
    JsonObject values = values(post, edits);
    List<FormDocument.Section> sections = template.sections().stream().map(s -> new FormDocument.Section(s.title(),
        s.fields().stream().map(f -> new FormDocument.Entry(f.label(), FormDocument.answer(f, values.getValue(f.key()))))
            .toList())).toList();
    return new FormDocument(template.title(), List.of(), sections, List.of(new FormDocument.Entry("出典",
        "プラットフォーム上の様式（第" + post.version() + "版）。氏名・住所・記入者・医療機関名は記載していません。")));
  }
}
