package jp.tsunagu.node.care;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.care.attachments.Attachment;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentSql;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.care.patients.Patient;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.teams.BoardKind;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.care.timeline.Author;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostWriter;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * A feature's notice on a patient's team timeline (安否確認 during a disaster, for one), published by
 * care so that the feature needs none of care's tables. Every method takes the caller's connection,
 * so the feature's own record, its audit entry and the notice are one transaction. Who may write is
 * the caller's check; this only reads and writes.
 *
 * <p>A notice a user of this node writes on a board homed here travels to partners as a team post
 * like any other (care's replication hook). A feature whose own team event carries the notice to
 * other nodes writes it on each node with {@link #postCarried}, under the id the event names.
 */
public final class TimelineNotices {

  private final CareContext care;

  public TimelineNotices(CareContext care) {
    this.care = care;
  }

  /** Whether the patient's record here is a partner's (a read replica whose home node decides). */
  public boolean replica(Connection c, String patientId) throws SQLException {
    return BoardSql.replica(c, patientId);
  }

  /** Whether the patient's record is here and open to writes (not archived). */
  public boolean open(Connection c, String patientId) throws SQLException {
    return PatientSql.byId(c, patientId).map(p -> !p.archived()).orElse(false);
  }

  /** Whether the user (a users row of this node, or a partner's shadow) is an active member of the team. */
  public boolean activeMember(Connection c, String patientId, String userId) throws SQLException {
    return BoardSql.activeMember(c, patientId, BoardKind.PATIENT, userId).isPresent();
  }

  /** A team member as a feature that mails the team needs her: who, of which profession, and her address. */
  public record MemberContact(String userId, String name, String profession, String mail) {}

  /**
   * The active members of the patient's team who are users of this node (a partner's professional is
   * reached through the team's timeline on her own node, never by this node's mail).
   */
  public List<MemberContact> localMembers(Connection c, String patientId) throws SQLException {
    List<MemberContact> out = new ArrayList<>();
    for (String id : BoardSql.activeMemberIds(c, patientId)) {
      try (PreparedStatement s = c.prepareStatement("select family_name || ' ' || given_name, profession,"
          + " email from users where id = ? and home_node is null and status = 'active'")) {
        s.setString(1, id);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            out.add(new MemberContact(id, rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
    }
    return out;
  }

  /** Who a user is as team events carry it: federated id, name, kana, profession, facility. */
  public JsonObject profile(Connection c, String userId) throws SQLException {
    return care.users().profile(c, userId);
  }

  /**
   * The users row of the author a partner's signed event names: this node's own user, or the shadow
   * of the partner's professional (refreshed from the profile her node signed).
   */
  public String localUser(Connection c, String federatedId, JsonObject profile) throws SQLException {
    return care.users().localUser(c, federatedId, profile);
  }

  /**
   * How a notice names who recorded it, from the profile events carry: the municipalities of their
   * node, their profession and name, e.g. 「伊那市 保健師 山田 花子」. The same on every node.
   */
  public static String describe(JsonObject profile) {
    String node = FederatedId.tryParse(profile.getString("id", "")).map(FederatedId::node).orElse("");
    String place = ReferenceData.get().network(node).map(n -> String.join("・", n.municipalityCodes().stream()
        .map(Places::municipality).toList())).orElse(node);
    String profession = profile.getString("profession", "");
    String professionJa = ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa)
        .orElse(profession);
    String name = (profile.getString("familyName", "") + " " + profile.getString("givenName", "")).strip();
    return String.join(" ", java.util.stream.Stream.of(place, professionJa, name).filter(s -> !s.isBlank()).toList());
  }

  /**
   * Writes a notice by a user of this node on a patient's timeline homed here, and records it for
   * the team's partners (on a shared board it is sequenced and sent like any team post). Returns
   * the post's id, or empty when the patient's record is archived or not here (nothing written).
   */
  public Optional<String> post(Connection c, String patientId, String userId, String body) throws SQLException {
    return post(c, patientId, userId, body, List.of());
  }

  /**
   * A notice as {@link #post(Connection, String, String, String)} writes it, with files the user
   * uploaded ({@code POST /uploads}) and has not attached yet (photos of a 接種券, for one): they are
   * downloaded as the post's attachments and travel with it to the team's partners.
   * {@code care.attachment_unknown} when one is not such an upload of hers.
   */
  public Optional<String> post(Connection c, String patientId, String userId, String body, List<String> attachmentIds)
      throws SQLException {
    if (!open(c, patientId) || replica(c, patientId)) {
      return Optional.empty();
    }
    String postId = CareIds.next();
    insert(c, patientId, postId, Author.of(userId, profile(c, userId)), body, care.now());
    AttachmentSql.attach(c, attachmentIds, postId, userId);
    care.recordEvent(c, patientId, care.events().post(c, postId));
    keepLive(c, patientId, postId);
    return Optional.of(postId);
  }

  /**
   * Keeps the live event of a notice this node wrote in the write's own transaction (as {@link #post}
   * does; a caller of {@link #postCarried} for its own user's notice calls it): the board's streams, on
   * every instance, hear of it once the write is committed, and nothing is written after it.
   */
  public void keepLive(Connection c, String patientId, String postId) throws SQLException {
    care.live().record(c, patientId, liveEvent(postId));
  }

  /**
   * Attaches a user's fresh uploads to a notice written with {@link #postCarried} on this node (a
   * partner's patient: the files stay on this node, for the members here).
   */
  public void attach(Connection c, String postId, String userId, List<String> attachmentIds) throws SQLException {
    AttachmentSql.attach(c, attachmentIds, postId, userId);
  }

  /**
   * Writes a notice that a feature's team event carries, with the id and time the event names and
   * under the name the author's node signed; it is not logged again (the event itself travels).
   * Nothing is written when the post is here already (the event came twice) or the record is
   * archived. Returns whether it was written.
   */
  public boolean postCarried(Connection c, String patientId, String postId, String authorUserId,
      JsonObject authorProfile, String body, String at) throws SQLException {
    if (PostSql.exists(c, postId) || !open(c, patientId)) {
      return false;
    }
    insert(c, patientId, postId, Author.of(authorUserId, authorProfile), body, at);
    return true;
  }

  /**
   * Shows a carried notice of this node's member on a partner's board as waiting for the home node
   * (送信待ち), as a post written there waits, until {@link #markSent} or {@link #markRefused}.
   */
  public void markWaiting(Connection c, String patientId, String postId) throws SQLException {
    PostSql.markPending(c, postId, patientId);
  }

  /** The home node took the carried notice's event: it shows as any other post, in the home node's order. */
  public void markSent(Connection c, String patientId, String postId) throws SQLException {
    PostSql.settle(c, postId, patientId);
  }

  /** The home node refused the carried notice's event: it shows as a refused post (送信できませんでした). */
  public void markRefused(Connection c, String postId) throws SQLException {
    PostSql.markRejected(c, postId);
  }

  /** A photo stored for a notice: its attachment id, media type, and whether it has a thumbnail. */
  public record NoticePhoto(String id, String sha256, String fileName, String mediaType, long size,
      boolean thumbnail) {}

  /**
   * Stores a photo (JPEG, PNG, GIF or HEIC, recognised by its content) in care's attachment storage,
   * to be tied to a notice with {@link #attachPhoto}, named {@code baseName} and the type's extension.
   * Blocking (it writes the file and its thumbnail). Empty when the content is not such an image: nothing is stored.
   */
  public Optional<NoticePhoto> storePhoto(byte[] content, String baseName) {
    Optional<AttachmentType> type = AttachmentType.detect(content).filter(t -> t.mediaType().startsWith("image/")
        && !t.equals(AttachmentType.TIFF));
    if (type.isEmpty()) {
      return Optional.empty();
    }
    String hash = AttachmentFiles.sha256(content);
    boolean thumbnail = care.files().store(hash, content, type.get());
    String mediaType = type.get().mediaType();
    return Optional.of(new NoticePhoto(CareIds.next(), hash, baseName + "." + mediaType.substring("image/".length()),
        mediaType, content.length, thumbnail));
  }

  /**
   * Ties a stored photo to a notice on this node as an attachment uploaded by {@code userId}, so the
   * team sees it on the notice as any other attachment.
   */
  public void attachPhoto(Connection c, String postId, String userId, NoticePhoto photo) throws SQLException {
    AttachmentSql.insertPosted(c, new Attachment(photo.id(), photo.sha256(), photo.fileName(), photo.mediaType(),
        photo.size(), photo.thumbnail(), userId, postId));
  }

  /** The author of a post on the board {@code patientId}; empty when no such post is on that board. */
  public Optional<String> postAuthor(Connection c, String patientId, String postId) throws SQLException {
    if (!PostSql.exists(c, postId)) {
      return Optional.empty();
    }
    jp.tsunagu.node.care.timeline.Post post = PostSql.byId(c, postId);
    return patientId.equals(post.boardId()) ? Optional.of(post.authorId()) : Optional.empty();
  }

  /**
   * Ties a photo that arrived from the home node (its file already here, fetched by hash) to this
   * node's copy of the notice, uploaded in the notice author's name as at home. Nothing when the
   * attachment is here already (the event came twice). False when the file has not arrived.
   */
  public boolean attachCarriedPhoto(Connection c, String postId, NoticePhoto photo) throws SQLException {
    if (AttachmentSql.byId(c, photo.id()).isPresent()) {
      return true;
    }
    if (!java.nio.file.Files.exists(care.files().file(photo.sha256()))) {
      return false;
    }
    boolean thumbnail = java.nio.file.Files.exists(care.files().thumbnailFile(photo.sha256()));
    AttachmentSql.insertPosted(c, new Attachment(photo.id(), photo.sha256(), photo.fileName(), photo.mediaType(),
        photo.size(), thumbnail, PostSql.byId(c, postId).authorId(), postId));
    return true;
  }

  /** A notice's photo as a file to send: its path (the thumbnail's when asked and made) and media type. */
  public record PhotoFile(java.nio.file.Path path, String mediaType) {}

  /** The file of a photo tied to the notice {@code postId}; empty for any other attachment. */
  public Optional<PhotoFile> photoFile(Connection c, String postId, String attachmentId, boolean thumbnail)
      throws SQLException {
    return AttachmentSql.byId(c, attachmentId).filter(a -> postId.equals(a.postId()))
        .filter(a -> a.mediaType().startsWith("image/")).map(a -> thumbnail && a.thumbnail()
            ? new PhotoFile(care.files().thumbnailFile(a.sha256()), "image/jpeg")
            : new PhotoFile(care.files().file(a.sha256()), a.mediaType()));
  }

  /** Whether a post of that id exists anywhere on this node (a carried notice's id must be new). */
  public boolean postExists(Connection c, String postId) throws SQLException {
    return PostSql.exists(c, postId);
  }

  /**
   * Records a feature's own team event on a patient's board, in the caller's transaction: on a
   * board homed here and shared it is sequenced now; on a partner's board it waits in the outbox
   * for the home node, which checks it as that feature's type declares.
   */
  public void recordEvent(Connection c, String patientId, String type, List<String> targets, JsonObject data)
      throws SQLException {
    care.recordEvent(c, patientId, new TeamEvents.Draft(type, targets, data));
  }

  /** A fresh id for a notice (time-ordered, not guessable). */
  public static String newId() {
    return CareIds.next();
  }

  /** What the board's live streams are told of a notice, once its write is committed. */
  public static JsonObject liveEvent(String postId) {
    return PostWriter.event("post", postId, List.of());
  }

  /**
   * Tells team replication of a notice once its write is committed (its streams hear of it from the
   * live event the write kept).
   */
  public void committed(Vertx vertx, String patientId, String postId) {
    CareContext.boardChanged(vertx, patientId);
  }

  private void insert(Connection c, String patientId, String postId, Author author, String body, String at)
      throws SQLException {
    List<String> categories = PostSql.activeCategories(c);
    String category = categories.contains("連絡") || categories.isEmpty() ? "連絡" : categories.get(0);
    PostSql.insertAs(c, new PostSql.NewPost(postId, patientId, author.asActor(), category, "note", body, null, null,
        List.of(), List.of()), author, at, null);
  }
}
