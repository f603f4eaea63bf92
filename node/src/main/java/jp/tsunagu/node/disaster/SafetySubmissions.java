package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * 安否確認 of a partner's patient by a member of the patient's team on this node: the person is in
 * the register of the patient's home node, so it is recorded there. The record goes to the home node
 * as a signed team event ({@link SafetyEvents}) through this node's outbox, in the same transaction
 * as its notice on this node's copy of the timeline; the home node checks it (a disaster declared
 * there, the patient in its register, the author a member), records it and sends the notice to the
 * team's other nodes.
 */
final class SafetySubmissions {

  private final NodeServices services;
  private final AuditLog audit;
  private final PatientAccess patients;
  private final TimelineNotices notices;

  SafetySubmissions(NodeServices services, AuditLog audit, PatientAccess patients, TimelineNotices notices) {
    this.services = services;
    this.audit = audit;
    this.patients = patients;
    this.notices = notices;
  }

  /** The status, shelter and note are checked by the caller, as for a person of this node's register. */
  Future<JsonObject> submit(Vertx vertx, String userId, String patientId, SafetyStatus status, String shelter,
      String note) {
    return patients.forMember(userId, patientId, "disaster.safety.recorded")
        .recover(notMember -> Future.failedFuture(CodedException.notFound("disaster.person_not_found",
            "指定の方は見つかりません。")))
        .compose(member -> services.database().write(c -> {
          String noticeId = TimelineNotices.newId();
          Instant at = Instant.now(services.clock());
          JsonObject author = notices.profile(c, userId);
          notices.recordEvent(c, patientId, SafetyEvents.TYPE, List.of(noticeId),
              SafetyEvents.data(author, status, shelter, note, at, noticeId));
          notices.postCarried(c, patientId, noticeId, userId, author, SafetyNotice.body(status, shelter, note, author,
              at), at.toString());
          notices.keepLive(c, patientId, noticeId);
          // 送信待ち until the home node takes it, 送信できませんでした if it refuses (SafetyEvents' settler)
          notices.markWaiting(c, patientId, noticeId);
          audit.append(c, AuditEvent.success(userId, "disaster.safety.submitted", "patient:" + patientId,
              new JsonObject().put("status", status.code()).put("notice", noticeId)));
          return new JsonObject().put("id", noticeId).put("patientId", patientId).put("status", status.code())
              .put("statusLabel", status.labelJa()).put("shelter", shelter).put("note", note)
              .put("recordedAt", at.toString()).put("noticeId", noticeId).put("syncState", "pending");
        })).onSuccess(saved -> notices.committed(vertx, patientId, saved.getString("noticeId")));
  }
}
