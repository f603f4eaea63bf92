package jp.tsunagu.node.sensors;

import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.feature.PeriodicJob;
import jp.tsunagu.node.web.RouteSet;

/**
 * The data-in half of the feature, built once: gateway credentials (行政's routes and the admin API),
 * the ingest route, and the retention sweep.
 */
final class IngestAssembly {

  private IngestAssembly() {}

  static void add(NodeServices services, NewReadings newReadings, List<RouteSet> webRoutes, List<RouteSet> adminRoutes,
      List<Supplier<Deployable>> verticles) {
    AuditLog audit = new AuditLog(services.database(), services.clock());
    Gateways gateways = new Gateways(services, audit);
    SensorIngest ingest = new SensorIngest(services, audit, newReadings);
    SensorRetention retention = new SensorRetention(services, audit);
    webRoutes.add(new GatewayRoutes(gateways, services.idempotency()));
    webRoutes.add(new IngestRoutes(ingest, services.config().sensors().maxBatchBytes()));
    adminRoutes.add(new GatewayAdminRoutes(gateways));
    // Rows past their retention, a minute after start and then every quarter hour.
    verticles.add(() -> new PeriodicJob("sensor retention", 60_000, 15 * 60_000, vertx -> retention.sweep()));
  }
}
