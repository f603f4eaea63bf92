package jp.tsunagu.node.care;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.Feature;

/**
 * The care core as features of the web listener: patients, care teams, timelines (patients and
 * groups), attachments, live updates, vitals, forms and the 情報カテゴリー the node's administration sets.
 */
public final class CareFeatures {

  /** Care data is for professionals (and facility administrators, who are professionals too). */
  static final Handler<RoutingContext> PROFESSIONALS = AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN);

  private CareFeatures() {}

  public static List<Feature> create(NodeServices services) {
    CareContext care = new CareContext(services, new AuditLog(services.database(), services.clock()),
        new AttachmentFiles(services.config().dataDir()));
    return List.of(new PatientRoutes(care), new PatientImportRoutes(care), new TeamRoutes(care),
        new TimelineRoutes(care), new PostRoutes(care), new AttachmentRoutes(care), new LiveRoutes(care),
        new GroupRoutes(care), new VitalsRoutes(care), new FormRoutes(care), new FormDraftRoutes(care),
        new CategoryRoutes(care),
        new PatientDuplicateRoutes(care));
  }
}
