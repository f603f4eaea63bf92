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
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.teams.Places;
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
   * Writes the post and answers it as a page shows it to its author. Every check runs in the write
   * itself, in one statement (one trip to the writer, not a read first; a non-member's write rolls
   * back and gets the audited 404 any other refusal gets), and what the write stores is not read back:
   * the post is answered from what was written, but on a board that takes part in sharing, where team
   * replication may give a replica's copy of a partner's board its pending place in the same write.
   */
  public Future<JsonObject> write(Vertx vertx, BoardKind kind, PostSql.NewPost post, Extra extra) {
    CareActor actor = post.author();
    // Whether the board takes part in sharing (its team event was drafted), set by the write on the
    // writer and read once it has answered. The write itself returns the post's JSON as it is: a keyed
    // create keeps the answer it makes of that value with its key row (IdempotencyKeys).
    AtomicBoolean sharing = new AtomicBoolean();
    return care.database().write(c -> {
      Checked checked = check(c, kind, post);
      String now = care.now();
      Author author = new Author(actor.userId(), actor.displayName(), actor.professionName(), checked.facility());
      long seq = PostSql.insertAs(c, post, author, now, null);
      if (!post.attachmentIds().isEmpty()) {
        AttachmentSql.attach(c, post.attachmentIds(), post.id(), actor.userId());
      }
      extra.write(c, post.id());
      care.audit().append(c, AuditEvent.success(actor.userId(), "care.post.created", kind.auditTarget(post.boardId()),
          new JsonObject().put("post", post.id()).put("kind", post.kind()).put("direct", !post.recipients().isEmpty())
              .put("attachments", post.attachmentIds().size())));
      boolean[] shared = {false};
      if (checked.sharing()) {
        care.recordEvent(c, post.boardId(), (TeamReplication.Drafting) d -> {
          shared[0] = true;
          return care.events().post(d, post.id());
        });
      }
      care.recordLive(c, post.boardId(), event("post", post.id(), post.recipients()));
      Post written = shared[0] ? PostSql.byId(c, post.id()) : new Post(post.id(), post.boardId(), seq,
          author.userId(), author.name(), author.professionName(), author.facility(), post.category(), post.kind(),
          post.body(), post.formType(), post.formData(), !post.recipients().isEmpty(), "active", 1, now, null, null);
      sharing.set(shared[0]);
      return PostDetailsSql.justWritten(c, written, !post.attachmentIds().isEmpty(), checked.place());
    }).recover(failed -> failed instanceof NotAMember
        ? care.<JsonObject>notAMember(actor, kind, post.boardId(), "care.post.create") : Future.failedFuture(failed))
        .onSuccess(json -> {
          // team sync is told only of a board that takes part in sharing: for any other it would read
          // where the board's changes go (a read job a post) to find them going nowhere; a board starts
          // sharing in a transaction of its own (a partner's professional invited), which tells it
          if (sharing.get()) {
            CareContext.boardChanged(vertx, post.boardId());
          }
        });
  }

  /**
   * What the checks of a post's write found that the post needs: its author's facility's name and place,
   * and whether its board takes part in sharing (else team replication is not asked at all).
   */
  private record Checked(String facility, AuthorPlaces.Place place, boolean sharing) {}

  /**
   * The checks of a post's write, in this order, in one statement: the writer is an active member
   * of the board, the patient or group exists and is not archived, the category is one posts may be
   * filed under; then, for a direct post, every recipient is an active member. The same statement
   * reads the author's facility and place, and whether the board takes part in sharing.
   */
  private Checked check(Connection c, BoardKind kind, PostSql.NewPost post) throws SQLException {
    CareActor actor = post.author();
    String table = kind == BoardKind.PATIENT ? "patients" : "care_groups";
    try (PreparedStatement s = c.prepareStatement("select exists (" + BoardSql.ACTIVE_MEMBER + "),"
        + " (select status from " + table + " where id = ?),"
        + " exists (select 1 from post_categories where name = ? and active = 1),"
        + " (select name from facilities where id = ?),"
        + " (select f.municipality_code from users u join facilities f on f.id = u.facility_id where u.id = ?),"
        + " (select home_node from users where id = ?), " + care.replication().takesPartInSharing())) {
      s.setString(1, post.boardId());
      s.setString(2, actor.userId());
      s.setString(3, kind.code());
      s.setString(4, post.boardId());
      s.setString(5, post.category());
      s.setString(6, actor.facilityId().orElse(""));
      s.setString(7, actor.userId());
      s.setString(8, actor.userId());
      s.setString(9, post.boardId());
      Checked checked;
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getInt(1) == 0) {
          throw new NotAMember();
        }
        String status = rs.getString(2);
        if (status == null) {
          throw CareErrors.notFound();
        }
        if ("archived".equals(status)) {
          throw CareErrors.archived();
        }
        if (rs.getInt(3) == 0) {
          throw CodedException.invalid("care.category_unknown", "情報カテゴリーを一覧から選んでください。");
        }
        String facility = rs.getString(4);
        checked = new Checked(facility == null ? "" : facility,
            new AuthorPlaces.Place(Places.municipality(rs.getString(5)), rs.getString(6)), rs.getInt(7) == 1);
      }
      if (!post.recipients().isEmpty()
          && !BoardSql.activeMemberIds(c, post.boardId()).containsAll(post.recipients())) {
        throw CodedException.invalid("care.recipient_not_member", "特別便の宛先はチームのメンバーから選んでください。");
      }
      return checked;
    }
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
