package jp.tsunagu.node.resources;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.web.Feature;

/**
 * The regional resources feature as a node runs it: the public portal, sitemap and open data on
 * the web listener, and the staff API. One {@link ResourceService} per node (per database), so
 * every web verticle instance and the admin listener share one catalog.
 */
public final class ResourcesFeature {

  private static final Map<Database, ResourceService> RUNNING = Collections.synchronizedMap(new WeakHashMap<>());

  private ResourcesFeature() {}

  public static ResourceService service(NodeServices services) {
    return RUNNING.computeIfAbsent(services.database(), database -> new ResourceService(database, services.clock(),
        java.util.Set.copyOf(services.config().node().municipalities())));
  }

  /**
   * The features on the web listener: the public portal, sitemap, open data and public API; the
   * staff API behind {@code staffGuards} (which must require the municipal-staff role and CSRF);
   * matching, referrals and a patient's 周辺資源 behind {@code professionalGuards} (a patient's
   * data further needs membership of the patient's care team).
   */
  public static List<Feature> web(NodeServices services, List<Handler<RoutingContext>> staffGuards,
      List<Handler<RoutingContext>> professionalGuards) {
    ResourceService service = service(services);
    PortalSettings settings = settings(services);
    Geocoder geocoder = new Geocoder(settings.geocoderUrl(), services.database(), services.clock());
    PatientAccess patients = new PatientAccess(services);
    return List.of(new PortalRoutes(service, settings), new SiteIndexRoutes(service, settings),
        new OpenDataRoutes(service, settings), new PublicResourceApi(service),
        new StaffResourceRoutes(service, settings, staffGuards), new PartnerResourcePages(service, settings),
        new ReferralRoutes(service, geocoder, settings, patients, professionalGuards),
        new PatientResourceRoutes(service, geocoder, settings, patients, professionalGuards));
  }

  static PortalSettings settings(NodeServices services) {
    var map = services.config().map();
    return new PortalSettings(services.config().node().displayName(), services.config().node().municipalities(),
        map.tileUrl(), map.attribution(), map.attributionUrl(), map.geocoderUrl(), services.config().portalUrl());
  }
}
