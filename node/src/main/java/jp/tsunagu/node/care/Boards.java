package jp.tsunagu.node.care;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.teams.BoardDirectorySql;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.timeline.Author;
import jp.tsunagu.node.care.timeline.PostSql;

/**
 * What another feature may know of a board of either kind (a patient's care team or a group) and do
 * on it: who its active members are and how they are reached, and a notice on its timeline. Meetings
 * are held from both kinds of board, so this is the board-wide sibling of {@link TimelineNotices}.
 * Methods taking a connection run in the caller's transaction; who may act is the caller's check,
 * except {@link #forMember}, which is that check (the same audited 404 as the care routes).
 */
public final class Boards {

  /** A board as other features name it; {@code replica}: a partner's patient, decided by its home node. */
  public record Board(String id, BoardKind kind, String name, boolean replica, boolean open) {}

  /** An active member; {@code email} is empty for a partner's professional (her own node mails her). */
  public record Person(String userId, String name, String profession, String email, String homeNode) {
    public boolean partner() {
      return homeNode != null;
    }
  }

  private final CareContext care;

  public Boards(CareContext care) {
    this.care = care;
  }

  /** The board when {@code userId} is an active member of it; else the audited 404 of the care routes. */
  public Future<Board> forMember(String userId, String boardId, String action) {
    return care.database().read(c -> {
      Optional<Board> board = board(c, boardId);
      return board.isPresent() && isActiveMember(c, board.get(), userId) ? board : Optional.<Board>empty();
    })
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
            : care.audit().record(AuditEvent.refused(userId, action, "board:" + boardId,
                new JsonObject().put("reason", "not_a_member"))).transform(x -> Future.failedFuture(CareErrors.notFound())));
  }

  public Optional<Board> board(Connection c, String boardId) throws SQLException {
    return BoardDirectorySql.board(c, boardId).map(b -> new Board(b.id(), b.kind(), b.name(), b.replica(), b.open()));
  }

  public boolean activeMember(Connection c, String boardId, String userId) throws SQLException {
    Optional<Board> board = board(c, boardId);
    return board.isPresent() && isActiveMember(c, board.get(), userId);
  }

  public List<Person> activeMembers(Connection c, String boardId) throws SQLException {
    return BoardDirectorySql.activeMembers(c, boardId).stream()
        .map(m -> new Person(m.userId(), m.name(), m.profession(), m.email(), m.homeNode())).toList();
  }

  /** Patients' teams homed here that a partner's professional takes part in (the demo's meetings). */
  public List<String> sharedPatientBoards(Connection c) throws SQLException {
    return BoardDirectorySql.sharedPatientBoards(c);
  }

  /** Partners' patients' teams this node holds a copy of, that a professional of this node takes part in. */
  public List<String> partnersPatientBoards(Connection c) throws SQLException {
    return BoardDirectorySql.partnersPatientBoards(c);
  }

  /** The address a user of this node is mailed at (empty for a partner's professional). */
  public Optional<String> email(Connection c, String userId) throws SQLException {
    return BoardDirectorySql.email(c, userId);
  }

  /**
   * Writes a notice by a user of this node on a board homed here and records it for the team's
   * partners like any post. Returns the post's id, or empty when the board is archived or a replica.
   */
  public Optional<String> notice(Connection c, String boardId, String userId, String body) throws SQLException {
    Optional<Board> board = board(c, boardId);
    if (board.isEmpty() || !board.get().open() || board.get().replica()) {
      return Optional.empty();
    }
    String postId = CareIds.next();
    List<String> categories = PostSql.activeCategories(c);
    String category = categories.contains("連絡") || categories.isEmpty() ? "連絡" : categories.get(0);
    Author author = Author.of(userId, care.users().profile(c, userId));
    PostSql.insertAs(c, new PostSql.NewPost(postId, boardId, author.asActor(), category, "note", body, null, null,
        List.of(), List.of()), author, care.now(), null);
    care.recordEvent(c, boardId, care.events().post(c, postId));
    care.live().record(c, boardId, TimelineNotices.liveEvent(postId));
    return Optional.of(postId);
  }

  /**
   * Writes a notice that a feature's team event carries (a meeting a partner's member set up), with
   * the id and time the event names and under the name her node signed; it is not logged again (the
   * event itself travels). Returns whether it was written: not when the post is here already (the
   * event came twice) or the board is archived.
   */
  public boolean noticeCarried(Connection c, String boardId, String postId, String authorUserId,
      JsonObject authorProfile, String body, String at) throws SQLException {
    return new TimelineNotices(care).postCarried(c, boardId, postId, authorUserId, authorProfile, body, at);
  }

  /** Whether a post of that id is held here (on any board). */
  public boolean postExists(Connection c, String postId) throws SQLException {
    return new TimelineNotices(care).postExists(c, postId);
  }

  /** Who a user is as team events carry it: federated id, name, kana, profession, facility. */
  public JsonObject profile(Connection c, String userId) throws SQLException {
    return care.users().profile(c, userId);
  }

  /** The users row of a person a partner's signed event names (this node's own, or a partner's shadow). */
  public String localUser(Connection c, String federatedId, JsonObject profile) throws SQLException {
    return care.users().localUser(c, federatedId, profile);
  }

  /**
   * Records a feature's own team event on a board in the caller's transaction: sequenced now on a
   * shared board homed here, waiting in the outbox for the home node on a partner's board, nothing on
   * a board no partner shares.
   */
  public void recordEvent(Connection c, String boardId, String type, List<String> targets, JsonObject data)
      throws SQLException {
    care.recordEvent(c, boardId, new TeamEvents.Draft(type, targets, data));
  }

  /**
   * Keeps a copy of a feature's file (a meeting's document) by its hash for the board's partner
   * nodes, which fetch it from here by hash as they fetch a post's attachment; returns the hash. The
   * feature names the hash in its team event's {@code files}.
   */
  public String shareFile(Connection c, String boardId, byte[] content,
      jp.tsunagu.node.care.attachments.AttachmentType type) throws SQLException {
    String sha256 = jp.tsunagu.node.care.attachments.AttachmentFiles.sha256(content);
    care.files().store(sha256, content, type);
    try (java.sql.PreparedStatement s = c.prepareStatement(
        "insert into board_files (board_id, sha256) values (?, ?) on conflict do nothing")) {
      s.setString(1, boardId);
      s.setString(2, sha256);
      s.executeUpdate();
    }
    return sha256;
  }

  /** A file a team event named, as fetched from the home node before the event was applied. */
  public Optional<byte[]> arrivedFile(String sha256) {
    java.nio.file.Path file = care.files().file(sha256);
    try {
      return java.nio.file.Files.exists(file) ? Optional.of(java.nio.file.Files.readAllBytes(file)) : Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Tells team replication of a notice once its write is committed (its streams hear of it from the
   * live event the write kept).
   */
  public void committed(Vertx vertx, String boardId, String postId) {
    CareContext.boardChanged(vertx, boardId);
  }

  private static boolean isActiveMember(Connection c, Board board, String userId) throws SQLException {
    return BoardSql.activeMember(c, board.id(), board.kind(), userId).isPresent();
  }
}
