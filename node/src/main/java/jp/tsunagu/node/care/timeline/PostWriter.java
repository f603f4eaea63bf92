package jp.tsunagu.node.care.timeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.attachments.AttachmentSql;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.CareContext;
import jp.tsunagu.node.care.CareActor;

/**
 * Writes a post of any kind (note, form, vitals) in one transaction with its recipients,
 * attachments, audit entry and whatever else the kind stores, then tells live streams.
 */
public final class PostWriter {

  /** Further rows a kind of post stores with it (the structured vitals), in the same write. */
  @FunctionalInterface
  public interface Extra {
    void write(Connection c, String postId) throws SQLException;
  }

  private final CareContext care;

  public PostWriter(CareContext care) {
    this.care = care;
  }

  public Future<JsonObject> write(Vertx vertx, BoardKind kind, PostSql.NewPost post, Extra extra) {
    CareActor actor = post.author();
    return care.member(actor, kind, post.boardId(), "care.post.create").compose(me -> care.database().write(c -> {
      requireOpen(c, kind, post.boardId());
      if (!PostSql.activeCategories(c).contains(post.category())) {
        throw CodedException.invalid("care.category_unknown", "情報カテゴリーを一覧から選んでください。");
      }
      List<String> members = BoardSql.activeMemberIds(c, post.boardId());
      if (!members.containsAll(post.recipients())) {
        throw CodedException.invalid("care.recipient_not_member", "特別便の宛先はチームのメンバーから選んでください。");
      }
      String now = care.now();
      PostSql.insert(c, post, now);
      AttachmentSql.attach(c, post.attachmentIds(), post.id(), actor.userId());
      extra.write(c, post.id());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.created", kind.auditTarget(post.boardId()),
          new JsonObject().put("post", post.id()).put("kind", post.kind()).put("direct", !post.recipients().isEmpty())
              .put("attachments", post.attachmentIds().size())));
      care.recordEvent(c, post.boardId(), care.events().post(c, post.id()));
      return PostDetailsSql.withDetails(c, List.of(PostSql.byId(c, post.id())), actor.userId()).get(0);
    })).onSuccess(json -> CareContext.publish(vertx, post.boardId(), event("post", post.id(), post.recipients())));
  }

  /** Writes to an archived patient or group are refused; reading stays possible. */
  public static void requireOpen(Connection c, BoardKind kind, String boardId) throws SQLException {
    String table = kind == BoardKind.PATIENT ? "patients" : "care_groups";
    try (PreparedStatement s = c.prepareStatement("select status from " + table + " where id = ?")) {
      s.setString(1, boardId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw CareErrors.notFound();
        }
        if ("archived".equals(rs.getString(1))) {
          throw CareErrors.archived();
        }
      }
    }
  }

  /** A live event: what changed, and for a direct post who may hear of it at all. */
  public static JsonObject event(String type, String postId, List<String> recipients) {
    JsonObject event = new JsonObject().put("type", type).put("postId", postId);
    return recipients.isEmpty() ? event : event.put("recipients", new JsonArray(recipients));
  }
}
