package jp.tsunagu.node.disaster;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.TeamEventType;
import jp.tsunagu.node.resources.Geocoder;
import jp.tsunagu.node.web.RouteSet;

/**
 * Disaster-time support (災害時連携): the 要援護者台帳 that municipal staff import and keep in versions,
 * matched with the node's patients and placed on the map; 災害モード, declared and ended by staff and
 * shown on every screen; for staff and professionals, the per-地区 counts, map, list and printed
 * lists of the people who need help, within what the consent rules allow; and 安否確認 while a
 * disaster lasts, with a live progress board per 地区 for staff.
 */
public final class DisasterFeature implements NodeFeature {

  private final NodeServices services;
  private final Districts districts;
  private final PatientAccess patients;
  private final List<RouteSet> routes;
  private final SafetyEvents safetyEvents;
  private final SafetyBoardRelay relay = new SafetyBoardRelay();
  private final BackgroundPlacement placement;
  private final RegisterConsents consents = new RegisterConsents();
  private final RegisterLookup lookup = new RegisterLookup();

  /**
   * @param patients the node's patients as municipal staff may see them (register matching)
   * @param notices the care feature's notices on a patient's timeline (安否確認 of a matched patient)
   * @param geocoder the node's address search (placing people on the map)
   */
  public DisasterFeature(NodeServices services, PatientAccess patients, TimelineNotices notices, Geocoder geocoder) {
    this.services = services;
    this.patients = patients;
    this.districts = Districts.of(services.config().node().municipalities(), services.config().dataDir());
    AuditLog audit = new AuditLog(services.database(), services.clock());
    Declarations declarations = new Declarations(services, audit, districts);
    this.safetyEvents = new SafetyEvents(notices, audit, relay);
    RegisterView view = new RegisterView(services, audit, districts, declarations);
    this.placement = new BackgroundPlacement(services, geocoder, view::forget);
    this.routes = List.of(
        new RegisterRoutes(new RegisterImports(services, audit, districts, new Placement(geocoder), patients,
            placement), new RegisterMatches(services, audit, patients), services.idempotency(),
            services.config().limits().uploadBytes()),
        new DisasterRoutes(services, declarations, view),
        new SafetyRoutes(new SafetyChecks(services, audit, districts, declarations, patients, notices), services.idempotency()));
  }

  /** The node's 地区 and the 地区 of an address, for other features (see {@link DistrictNames}). */
  public DistrictNames districtNames() {
    return new DistrictNames(districts);
  }

  /** 情報提供への同意 of the patients matched to the register (shown on an emergency access). */
  public RegisterConsents consents() {
    return consents;
  }

  /** The people of the register's current version, by key or by ふりがな and birth date (watch-sensor enrolment). */
  public RegisterLookup lookup() {
    return lookup;
  }

  @Override
  public String name() {
    return "disaster";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return List.of(relay::verticle, placement::verticle);
  }

  /** 安否確認 by a partner's professional, submitted to the patient's home node (see {@link SafetyEvents}). */
  @Override
  public List<TeamEventType> teamEventTypes() {
    return List.of(safetyEvents.type());
  }

  @Override
  public void seedDemo() {
    DisasterDemo.seed(services, districts, patients);
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new DisasterFigures());
  }
}
