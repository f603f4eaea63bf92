package jp.tsunagu.node.resources;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * The regional resources feature as a node runs it: the public portal, sitemap and open data on
 * the web listener, the staff API, and matching, referrals and a patient's 周辺資源 for professionals.
 * One {@link ResourceService} per node, so every web verticle instance shares one catalog; partners'
 * listings reach it through {@link #service()}.
 */
public final class ResourcesFeature implements NodeFeature {

  private final NodeServices services;
  private final ResourceService service;
  private final List<RouteSet> routes;
  private final Geocoder geocoder;

  /** @param patients what a patient's care team may learn of the patient (referrals, 周辺資源) */
  public ResourcesFeature(NodeServices services, PatientAccess patients) {
    this.services = services;
    this.service = new ResourceService(services.database(), services.clock(),
        Set.copyOf(services.config().node().municipalities()));
    // The staff API requires the municipal-staff role and CSRF; matching, referrals and a patient's
    // 周辺資源 require a professional (a patient's data further needs membership of the patient's team).
    List<Handler<RoutingContext>> staffGuards = List.of(AccessGuard.roles(Role.MUNICIPAL_STAFF), AccessGuard::csrf);
    List<Handler<RoutingContext>> professionalGuards = List.of(
        AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN, Role.MUNICIPAL_STAFF), AccessGuard::csrf);
    PortalSettings settings = settings(services);
    this.geocoder = new Geocoder(settings.geocoderUrl(), services.database(), services.clock());
    this.routes = List.of(new PortalRoutes(service, settings), new SiteIndexRoutes(service, settings),
        new OpenDataRoutes(service, settings), new PublicResourceApi(service),
        new StaffResourceRoutes(service, settings, staffGuards, services.idempotency()), new PartnerResourcePages(service, settings),
        new ReferralRoutes(service, geocoder, settings, patients, professionalGuards,
            services.idempotency()),
        new PatientResourceRoutes(service, geocoder, settings, patients, professionalGuards));
  }

  @Override
  public String name() {
    return "resources";
  }

  /** The node's catalog of resources, its own and partners'. */
  public ResourceService service() {
    return service;
  }

  /** The node's address search, with the places it found kept (other features place people with it). */
  public Geocoder geocoder() {
    return geocoder;
  }

  @Override
  public List<RouteSet> webRoutes() {
    return routes;
  }

  @Override
  public void seedDemo() {
    ResourceDemo.seed(services, service);
  }

  static PortalSettings settings(NodeServices services) {
    var map = services.config().map();
    return new PortalSettings(services.config().node().displayName(), services.config().node().municipalities(),
        map.tileUrl(), map.attribution(), map.attributionUrl(), map.geocoderUrl(), services.config().portalUrl());
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new ResourceFigures());
  }
}
