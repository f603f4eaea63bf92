package jp.tsunagu.node.sensors;

import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.RouteSet;

/**
 * みまもりセンサー (watch sensors): households enrolled by municipal staff with the resident's consent;
 * readings delivered by gateways the node issued a key to; raw readings kept for the retention period
 * and hourly aggregates for the life of the enrolment; rules that raise an alert once per episode (no
 * activity, heat, cold, a silent device, low battery); the call centre (見守りセンター) working its
 * alerts and escalating to the family and the resident's care manager.
 */
public final class SensorsFeature implements NodeFeature {

  private final NodeServices services;
  private final List<RouteSet> webRoutes = new ArrayList<>();
  private final List<RouteSet> adminRoutes = new ArrayList<>();
  private final List<Supplier<Deployable>> verticles = new ArrayList<>();

  /**
   * @param patients the node's patients (enrolment of a patient, the patient page's sensor tab)
   * @param notices the care feature's notices on a patient's timeline (escalated alerts)
   */
  public SensorsFeature(NodeServices services, PatientAccess patients, TimelineNotices notices) {
    this.services = services;
    IngestAssembly.add(services, readings -> {}, webRoutes, adminRoutes, verticles);
  }

  @Override
  public String name() {
    return "sensors";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return webRoutes;
  }

  @Override
  public List<RouteSet> adminRoutes() {
    return adminRoutes;
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return verticles;
  }
}
