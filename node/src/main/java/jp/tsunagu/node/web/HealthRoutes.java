package jp.tsunagu.node.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import jp.tsunagu.node.storage.Database;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers a query
 * and its schema is at the version this build ships (503 otherwise), so a load balancer sends
 * traffic only to a node that can serve it. Features add their own checks ({@link ReadinessCheck}).
 */
public final class HealthRoutes {

  private HealthRoutes() {}

  public static void mount(Vertx vertx, Router router, Database database, List<ReadinessCheck> contributed) {
    HealthChecks live = HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx).register("database", 5_000, promise ->
        database.appliedSchemaVersion().onComplete(result -> {
          if (result.failed()) {
            promise.complete(Status.KO(new JsonObject().put("error", "database unreachable")));
          } else if (database.writeFault().isPresent()) {
            // reads still work, but nothing can be saved (nor audited: patient data is not shown)
            promise.complete(Status.KO(new JsonObject().put("writable", false)
                .put("error", database.writeFault().get().code())
                .put("since", database.writeFault().get().since().toString())));
          } else if (!result.result().equals(database.expectedSchemaVersion())) {
            promise.complete(Status.KO(new JsonObject().put("schema", result.result())
                .put("expected", database.expectedSchemaVersion())));
          } else {
            promise.complete(Status.OK(new JsonObject().put("schema", result.result())
                .put("journalMode", database.effectiveSettings().journalMode())
                .put("synchronous", database.effectiveSettings().synchronous())));
          }
        }));
    contributed.forEach(check -> ready.register(check.name(), check.timeoutMillis(), check.procedure()));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
  }
}
