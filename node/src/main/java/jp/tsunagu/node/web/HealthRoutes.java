package jp.tsunagu.node.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import jp.tsunagu.node.storage.Database;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers a query
 * and its schema is at the version this build ships (503 otherwise), so a load balancer sends
 * traffic only to a node that can serve it. Features add their own checks ({@link ReadinessCheck}).
 *
 * <p>Two views of the same checks. The admin listener (loopback, for the operator and a monitor on the
 * machine) shows every check with its details: the schema and the database settings, a clustered
 * instance's role, its leader, its applied batch and replication totals, what waits for partners.
 * The web listener is public (it faces the internet through the load balancer, which reads only the
 * status), so it answers the status alone and, when not ready, which check failed and its stable code:
 * how a node is built and how its cluster stands is nobody's business but its operator's.
 */
public final class HealthRoutes {

  /** The code of a failing check that gave none (its procedure failed or did not answer in time). */
  static final String CHECK_FAILED = "health.check_failed";

  private HealthRoutes() {}

  /** Every check with its details: the admin listener. */
  public static void mount(Vertx vertx, Router router, Database database, List<ReadinessCheck> contributed) {
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live(vertx)));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready(vertx, database, contributed)));
  }

  /** The status alone, and the failing checks' codes: the public web listener. */
  public static void mountPublic(Vertx vertx, Router router, Database database, List<ReadinessCheck> contributed) {
    HealthChecks live = live(vertx);
    HealthChecks ready = ready(vertx, database, contributed);
    router.get("/health/live").handler(ctx -> answer(ctx, live));
    router.get("/health/ready").handler(ctx -> answer(ctx, ready));
  }

  private static HealthChecks live(Vertx vertx) {
    return HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
  }

  private static HealthChecks ready(Vertx vertx, Database database, List<ReadinessCheck> contributed) {
    HealthChecks ready = HealthChecks.create(vertx).register("database", 5_000, promise ->
        // A node that cannot write tries a write that needs room first: nothing else may write meanwhile.
        database.probeWrites().transform(probed -> database.appliedSchemaVersion()).onComplete(result -> {
          if (result.failed()) {
            promise.complete(Status.KO(new JsonObject().put("error", "database.unreachable")));
          } else if (database.writeFault().isPresent()) {
            // reads still work, but nothing can be saved (nor audited: patient data is not shown)
            promise.complete(Status.KO(new JsonObject().put("writable", false)
                .put("error", database.writeFault().get().code())
                .put("since", database.writeFault().get().since().toString())));
          } else if (!result.result().equals(database.expectedSchemaVersion())) {
            promise.complete(Status.KO(new JsonObject().put("error", "database.schema_mismatch")
                .put("schema", result.result()).put("expected", database.expectedSchemaVersion())));
          } else {
            promise.complete(Status.OK(new JsonObject().put("schema", result.result())
                .put("journalMode", database.effectiveSettings().journalMode())
                .put("synchronous", database.effectiveSettings().synchronous())));
          }
        }));
    contributed.forEach(check -> ready.register(check.name(), check.timeoutMillis(), check.procedure()));
    return ready;
  }

  /** 200 {@code {"status":"UP"}}, or 503 with each failing check's name and code, nothing more. */
  private static void answer(RoutingContext ctx, HealthChecks checks) {
    checks.checkStatus().onComplete(done -> {
      CheckResult result = done.succeeded() ? done.result() : null;
      boolean up = result != null && CheckResult.isUp(result);
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
      if (!up) {
        body.put("checks", failing(result));
      }
      ctx.response().setStatusCode(up ? 200 : 503)
          .putHeader("Content-Type", "application/json;charset=UTF-8")
          .putHeader("Cache-Control", "no-store")
          .end(body.encode());
    });
  }

  private static JsonArray failing(CheckResult result) {
    JsonArray failing = new JsonArray();
    if (result == null || result.getChecks() == null) {
      return failing.add(new JsonObject().put("id", "health").put("error", CHECK_FAILED));
    }
    for (CheckResult check : result.getChecks()) {
      if (!CheckResult.isUp(check)) {
        JsonObject data = check.getData();
        Object code = data == null ? null : data.getValue("error");
        failing.add(new JsonObject().put("id", check.getId())
            .put("error", code instanceof String text ? text : CHECK_FAILED));
      }
    }
    return failing;
  }
}
