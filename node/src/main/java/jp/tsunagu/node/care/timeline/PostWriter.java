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
import jp.tsunagu.node.care.replication.TeamReplication;

/**
 * Writes a post of any kind (note, form, vitals) in one transaction with its recipients,
 * attachments, audit entry, live event and whatever else the kind stores.
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

  /**
   * Writes the post and answers it as a page shows it to its author. The membership check runs in
   * the write itself (one trip to the writer, not a read first; a non-member's write rolls back and
   * gets the audited 404 any other refusal gets), and what the write stores is not read back but for
   * the post's row (a replica's copy of a partner's board gives it its pending place in the same
   * write) and what it may have beside it.
   */
  public Future<JsonObject> write(Vertx vertx, BoardKind kind, PostSql.NewPost post, Extra extra) {
    CareActor actor = post.author();
    return care.database().write(c -> {
      if (BoardSql.activeMember(c, post.boardId(), kind, actor.userId()).isEmpty()) {
        throw new NotAMember();
      }
      requireOpen(c, kind, post.boardId());
      if (!PostSql.categoryActive(c, post.category())) {
        throw CodedException.invalid("care.category_unknown", "情報カテゴリーを一覧から選んでください。");
      }
      if (!post.recipients().isEmpty() && !BoardSql.activeMemberIds(c, post.boardId()).containsAll(post.recipients())) {
        throw CodedException.invalid("care.recipient_not_member", "特別便の宛先はチームのメンバーから選んでください。");
      }
      String now = care.now();
      PostSql.insert(c, post, now);
      if (!post.attachmentIds().isEmpty()) {
        AttachmentSql.attach(c, post.attachmentIds(), post.id(), actor.userId());
      }
      extra.write(c, post.id());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.created", kind.auditTarget(post.boardId()),
          new JsonObject().put("post", post.id()).put("kind", post.kind()).put("direct", !post.recipients().isEmpty())
              .put("attachments", post.attachmentIds().size())));
      care.recordEvent(c, post.boardId(), (TeamReplication.Drafting) d -> care.events().post(d, post.id()));
      care.recordLive(c, post.boardId(), event("post", post.id(), post.recipients()));
      return PostDetailsSql.justWritten(c, PostSql.byId(c, post.id()), !post.attachmentIds().isEmpty());
    }).recover(failed -> failed instanceof NotAMember
        ? care.<JsonObject>notAMember(actor, kind, post.boardId(), "care.post.create") : Future.failedFuture(failed))
        .onSuccess(json -> CareContext.boardChanged(vertx, post.boardId()));
  }

  /** The writer is not an active member of the board: the write rolls back, and the refusal is audited apart. */
  private static final class NotAMember extends CodedException {
    NotAMember() {
      super(CareErrors.notFound().kind(), CareErrors.notFound().code(), CareErrors.notFound().getMessage());
    }
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
