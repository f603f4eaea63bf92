package jp.tsunagu.node.meetings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * A meeting's documents (議事配布): the organiser adds them, participants only read them (a member of
 * the board who was not invited gets the 404 of a document that does not exist). Files are checked by
 * content as the timeline's attachments are. On a team shared with partners the meeting is published
 * again with its documents; a partner's node fetches each from the home node by hash and keeps it
 * for its own participants, who read it there under the same rule.
 */
final class MeetingDocuments {

  private static final int MAX_PER_MEETING = 20;

  private final NodeServices services;
  private final AuditLog audit;
  private final MeetingAccess access;

  private final MeetingEvents events;

  MeetingDocuments(NodeServices services, AuditLog audit, MeetingAccess access, MeetingEvents events) {
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.events = events;
  }

  Future<JsonObject> add(String userId, String meetingId, String fileName, byte[] content) {
    if (content.length == 0) {
      return Future.failedFuture(CodedException.invalid("meetings.document_empty", "空のファイルは配布できません。"));
    }
    AttachmentType type = AttachmentType.detect(content).orElse(null);
    if (type == null) {
      return Future.failedFuture(CodedException.invalid("meetings.document_unsupported",
          "この形式のファイルは配布できません（PDF・Word・Excel・写真が配布できます）。"));
    }
    if (!type.allowsName(fileName)) {
      return Future.failedFuture(CodedException.invalid("meetings.document_name_mismatch",
          "ファイル名の拡張子と内容が一致しません。"));
    }
    String now = Instant.now(services.clock()).toString();
    return access.organizer(userId, meetingId, "meetings.document.add").compose(m -> services.database().write(c -> {
      Meeting current = access.current(c, m);
      if (current.documents().size() >= MAX_PER_MEETING) {
        throw CodedException.invalid("meetings.too_many_documents", "資料は1つの会議に20件までです。");
      }
      String id = MeetingIds.next();
      MeetingSql.insertDocument(c, id, meetingId, fileName, type.mediaType(), content, userId, now);
      // Partner participants read it on their own node: their node fetches it from here by hash when
      // the meeting, published again with its documents, reaches it.
      events.publish(c, MeetingSql.byId(c, meetingId).orElseThrow(), userId);
      audit.append(c, AuditEvent.success(userId, "meetings.document.added", "meeting:" + meetingId,
          new JsonObject().put("document", id).put("bytes", content.length)));
      return new JsonObject().put("id", id).put("name", fileName).put("contentType", type.mediaType());
    }));
  }

  Future<MeetingSql.Content> read(String userId, String meetingId, String documentId) {
    return access.visible(userId, meetingId, "meetings.document.read").compose(m -> {
      if (m.participant(userId).isEmpty()) {
        return refused(userId, meetingId);
      }
      return services.database().read(c -> MeetingSql.document(c, meetingId, documentId)).compose(found ->
          found.isEmpty() ? refused(userId, meetingId)
              : audit.record(AuditEvent.success(userId, "meetings.document.read", "meeting:" + meetingId,
                  new JsonObject().put("document", documentId))).map(x -> found.get()));
    });
  }

  private <T> Future<T> refused(String userId, String meetingId) {
    return audit.record(AuditEvent.refused(userId, "meetings.document.read", "meeting:" + meetingId,
        new JsonObject().put("reason", "not_a_participant"))).transform(x -> Future.failedFuture(
            CodedException.notFound("meetings.document_not_found", "資料が見つかりません。")));
  }
}
