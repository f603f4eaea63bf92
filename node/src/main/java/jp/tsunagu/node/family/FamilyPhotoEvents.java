package jp.tsunagu.node.family;

import static jp.tsunagu.node.care.replication.EventFields.object;
import static jp.tsunagu.node.care.replication.EventFields.requireText;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.feature.TeamEventType.Arrival;
import jp.tsunagu.node.feature.TeamEventType.LiveNotice;
import jp.tsunagu.node.feature.TeamEventType.Origin;

/**
 * A photo the family adds to an entry after the entry's notice went to the team: the notice's post
 * event has left already, so the photo travels as an event of its own ({@value #ATTACHED}) that names
 * its file in {@code files}, fetched by hash from the home node before the event is applied, as a
 * post's attachments are. Only the home node makes it (the family account lives there). The
 * receiving node checks that the notice is on the event's board, the photo's fields (an image type, a
 * SHA-256, a short name) and that the file arrived; then ties the photo to its copy of the notice.
 */
final class FamilyPhotoEvents {

  static final String ATTACHED = "family.photo.attached";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> IMAGES = List.of("image/jpeg", "image/png", "image/gif", "image/heic");

  private final TimelineNotices notices;

  FamilyPhotoEvents(TimelineNotices notices) {
    this.notices = notices;
  }

  TeamEventType type() {
    return new TeamEventType(ATTACHED, Origin.HOME_NODE, data -> List.of(requireText(data, "postId")),
        this::noticeOfBoard, this::apply);
  }

  /** Records the event for the board's partners, in the photo's transaction (nothing when none shares it). */
  void attached(Connection c, String patientId, String postId, String authorUserId,
      TimelineNotices.NoticePhoto photo) throws SQLException {
    notices.recordEvent(c, patientId, ATTACHED, List.of(postId), new JsonObject()
        .put("author", notices.profile(c, authorUserId)).put("postId", postId)
        .put("photo", new JsonObject().put("id", photo.id()).put("sha256", photo.sha256())
            .put("fileName", photo.fileName()).put("mediaType", photo.mediaType()).put("size", photo.size()))
        .put("files", new JsonArray().add(photo.sha256())));
  }

  private void noticeOfBoard(Connection c, String boardId, Event event) throws SQLException {
    if (notices.postAuthor(c, boardId, event.targets().get(1)).isEmpty()) {
      throw new SyncRejection("care.not_found", "no notice " + event.targets().get(1) + " on board " + boardId);
    }
  }

  private List<LiveNotice> apply(Connection c, Event event, Arrival arrival) throws SQLException {
    JsonObject data = new JsonObject(event.data());
    JsonObject photo = object(data, "photo");
    String sha256 = requireText(photo, "sha256");
    String fileName = requireText(photo, "fileName");
    String mediaType = requireText(photo, "mediaType");
    String id = requireText(photo, "id");
    long size = photo.getValue("size") instanceof Number n ? n.longValue() : -1;
    if (!SHA256.matcher(sha256).matches() || !IMAGES.contains(mediaType) || fileName.length() > 100
        || id.length() > 64 || size < 0) {
      throw SyncRejection.malformed("the family's photo is malformed");
    }
    String postId = requireText(data, "postId");
    if (!notices.attachCarriedPhoto(c, postId, new TimelineNotices.NoticePhoto(id, sha256, fileName, mediaType, size,
        false))) {
      throw new SyncRejection("sync.attachment_missing", "attachment " + sha256 + " has not arrived");
    }
    return List.of(new LiveNotice(event.targets().get(0), TimelineNotices.liveEvent(postId)));
  }
}
