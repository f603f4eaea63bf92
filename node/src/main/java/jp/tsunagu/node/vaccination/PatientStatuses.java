package jp.tsunagu.node.vaccination;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The per-vaccine statuses of the patients a list shows, for its icons: only of patients whose team
 * the reader is an active member of (any other id is left out, telling nothing), the read audited.
 */
final class PatientStatuses {

  private final NodeServices services;
  private final AuditLog audit;
  private final TimelineNotices notices;

  PatientStatuses(NodeServices services, AuditLog audit, TimelineNotices notices) {
    this.services = services;
    this.audit = audit;
    this.notices = notices;
  }

  Future<JsonObject> of(String userId, List<String> patientIds) {
    return services.database().read(c -> {
      JsonObject byPatient = new JsonObject();
      for (String id : patientIds) {
        if (notices.activeMember(c, id, userId)) {
          byPatient.put(id, Statuses.of(c, id));
        }
      }
      return byPatient;
    }).compose(found -> audit.record(AuditEvent.success(userId, "vaccination.statuses.read", "vaccination:statuses",
        new JsonObject().put("patients", new JsonArray(List.copyOf(found.fieldNames())))))
        .map(ignored -> new JsonObject().put("patients", found)));
  }
}
