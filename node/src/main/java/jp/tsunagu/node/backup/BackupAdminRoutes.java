package jp.tsunagu.node.backup;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The operator's backups on the admin listener: {@code POST /admin/v1/backups} starts one (202 with
 * the run), {@code GET /admin/v1/backups/runs/:id} follows it, {@code GET /admin/v1/backups} lists the
 * target's backups and the recent runs, and {@code GET /admin/v1/storage/summary} tells what the live
 * database holds (row counts, schema version, audit head; no patient data), which a restore drill
 * compares with a backup's manifest.
 */
final class BackupAdminRoutes implements RouteSet {

  private final NodeBackups backups;
  private final Database database;
  private final String node;

  BackupAdminRoutes(NodeBackups backups, Database database, String node) {
    this.backups = backups;
    this.database = database;
    this.node = node;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/backups").handler(this::create);
    api.get("/backups").handler(ctx -> ctx.vertx().executeBlocking(backups::overview, false)
        .onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/backups/runs/:id").handler(ctx -> backups.run(ctx.pathParam("id"))
        .ifPresentOrElse(run -> ctx.json(run.toJson()), () -> ctx.fail(new CodedException(
            CodedException.Kind.NOT_FOUND, "backup.run_not_found", "no backup run " + ctx.pathParam("id")
                + " on this node since it started"))));
    api.get("/storage/summary").handler(ctx -> database.read(c -> Snapshot.describe(null, c).toJson(node))
        .onSuccess(ctx::json).onFailure(ctx::fail));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    Object withKeys = body.getValue("withKeys", false);
    if (!(withKeys instanceof Boolean keys)) {
      throw new CodedException(CodedException.Kind.INVALID, "validation.invalid", "withKeys must be true or false");
    }
    BackupRun run = backups.start(BackupRun.Trigger.OPERATOR, keys);
    ctx.response().setStatusCode(202);
    ctx.json(new JsonObject().put("run", run.toJson()));
  }
}
