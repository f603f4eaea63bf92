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
 */
public final class DoctorOpinions {

  /** The form the opinion is filed on. */
  static final String TEMPLATE = "shujii_ikensho";

  /** The rendered opinion and the post it came from (for the caller's audit entry). */
  public record Opinion(String postId, int version, byte[] pdf) {}

  private final NodeServices services;

  public DoctorOpinions(NodeServices services) {
    this.services = services;
  }

  /** The patient's latest 主治医意見書 without identifying data, or empty when there is none to take. */
  public Future<Optional<Opinion>> anonymised(Vertx vertx, String patientId) {
    return services.database().read(c -> latest(c, patientId)).compose(post -> post.isEmpty()
        ? Future.succeededFuture(Optional.<Opinion>empty())
        : vertx.executeBlocking(() -> Optional.of(new Opinion(post.get().id(), post.get().version(),
            FormPdf.render(JapanesePdfFont.find(JapanesePdfFont.systemFonts()), document(post.get()))))));
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
  static FormDocument document(Post post) {
    FormTemplate template = FormTemplates.byId(post.formType()).orElseThrow();
    JsonObject values = new JsonObject(post.formData()).getJsonObject("values", new JsonObject());
    List<FormDocument.Section> sections = template.sections().stream().map(s -> new FormDocument.Section(s.title(),
        s.fields().stream().map(f -> new FormDocument.Entry(f.label(), FormDocument.answer(f, values.getValue(f.key()))))
            .toList())).toList();
    return new FormDocument(template.title(), List.of(), sections, List.of(new FormDocument.Entry("出典",
        "プラットフォーム上の様式（第" + post.version() + "版）。氏名・住所・記入者・医療機関名は記載していません。")));
  }
}
