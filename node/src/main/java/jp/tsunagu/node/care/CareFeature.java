package jp.tsunagu.node.care;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.care.vitals.VitalsRoutes;
import jp.tsunagu.node.care.timeline.TimelineRoutes;
import jp.tsunagu.node.care.timeline.AuthorPlaces;
import jp.tsunagu.node.care.timeline.TimelineCache;
import jp.tsunagu.node.care.timeline.PostRoutes;
import jp.tsunagu.node.care.teams.TeamRoutes;
import jp.tsunagu.node.care.teams.GroupRoutes;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.patients.PatientRoutes;
import jp.tsunagu.node.care.patients.PatientImportRoutes;
import jp.tsunagu.node.care.patients.PatientDuplicateRoutes;
import jp.tsunagu.node.care.live.LiveRoutes;
import jp.tsunagu.node.care.forms.FormRoutes;
import jp.tsunagu.node.care.forms.FormDraftRoutes;
import jp.tsunagu.node.care.categories.CategoryRoutes;
import jp.tsunagu.node.care.attachments.AttachmentRoutes;

/**
 * The care core: patients, care teams, timelines (patients and groups), attachments, live updates,
 * vitals, forms and the 情報カテゴリー the node's administration sets, on the web listener; the care
 * team event types partners exchange; the demo's patients and posts. Knows nothing of partners:
 * what it asks of replication goes through {@link TeamReplication}.
 */
public final class CareFeature implements NodeFeature {

  /** Care data is for professionals (and facility administrators, who are professionals too). */
  public static final Handler<RoutingContext> PROFESSIONALS = AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN);

  private final CareContext care;
  private final TeamData data;
  private final List<RouteSet> routes;
  private final PatientAccess patientAccess;
  private final EmergencyRecords emergencyRecords;
  private final TimelineNotices timelineNotices;
  private final FamilySharing familySharing = new FamilySharing();

  /**
   * @param data the care data as replication sees it (its people, files and event drafts are shared)
   * @param replication the hooks of team replication the care routes call in their writes
   */
  public CareFeature(NodeServices services, TeamData data, TeamReplication replication) {
    this.data = data;
    TimelineCache firstPages = TimelineCache.fedBy(services.database());
    this.care = new CareContext(services, new AuditLog(services.database(), services.clock()), data.files(),
        firstPages, AuthorPlaces.fedBy(services.database(), firstPages::authorsMoved), data.users(),
        data.events(), replication, data.live());
    this.patientAccess = new PatientAccess(services);
    this.emergencyRecords = new EmergencyRecords(care);
    this.timelineNotices = new TimelineNotices(care);
    this.routes = List.of(new PatientRoutes(care), new PatientImportRoutes(care), new TeamRoutes(care),
        new TimelineRoutes(care), new PostRoutes(care), new AttachmentRoutes(care), new LiveRoutes(care),
        new GroupRoutes(care), new VitalsRoutes(care), new FormRoutes(care), new FormDraftRoutes(care),
        new CategoryRoutes(care), new PatientDuplicateRoutes(care));
  }

  @Override
  public String name() {
    return "care";
  }

  /** Every instance tells its own streams of the live events it commits or applies. */
  @Override
  public void startOnEveryInstance(io.vertx.core.Vertx vertx) {
    care.live().tellOn(vertx);
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  @Override
  public List<TeamEventType> teamEventTypes() {
    return data.eventTypes();
  }

  @Override
  public void seedDemo() {
    CareDemo.seed(care.services());
  }

  /** What another feature may learn of a patient, for members of the patient's team only. */
  public PatientAccess patientAccess() {
    return patientAccess;
  }

  /** What the emergency feature reads and writes of a patient (its callers check who may). */
  public EmergencyRecords emergencyRecords() {
    return emergencyRecords;
  }

  /** A feature's notices on a patient's team timeline (its callers check who may write). */
  public TimelineNotices timelineNotices() {
    return timelineNotices;
  }

  /** Boards of either kind (teams and groups) as other features use them: members, mail, notices. */
  public Boards boards() {
    return new Boards(care);
  }

  /** 家族にも公開: the posts a team member chose to show the patient's family (ここのーと). */
  public FamilySharing familySharing() {
    return familySharing;
  }

  public CareContext context() {
    return care;
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new CareFigures());
  }
}
