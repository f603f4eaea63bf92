package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;

/**
 * The agreement part of the admin API ({@code /admin/v1}, loopback only) that {@code tsunagu-admin}
 * calls: {@code POST /agreements} imports a signed agreement document, {@code GET /agreements} lists
 * every known version with its status, {@code POST /withdrawals} records a withdrawal statement,
 * {@code GET /peers} probes each partner.
 */
public final class AgreementAdminRoutes implements RouteSet {

  private final Federation federation;
  private final PeerProbe peers;

  public AgreementAdminRoutes(Federation federation) {
    this.federation = federation;
    this.peers = new PeerProbe(federation);
  }

  @Override
  public void mountApi(Router api) {
    api.post("/agreements").handler(AgreementAdminRoutes::requireBody).handler(this::importAgreement);
    api.get("/agreements").handler(this::listAgreements);
    api.post("/withdrawals").handler(AgreementAdminRoutes::requireBody).handler(this::withdraw);
    api.get("/peers").handler(this::listPeers);
  }

  private static void requireBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      ctx.fail(CodedException.invalid("request.body_missing", "the request body must be the signed JSON document"));
      return;
    }
    ctx.next();
  }

  private void importAgreement(RoutingContext ctx) {
    respond(ctx, guarded(() -> federation.agreements().importDocument(ctx.body().asString())));
  }

  private void withdraw(RoutingContext ctx) {
    respond(ctx, guarded(() -> federation.agreements().withdraw(ctx.body().asString())));
  }

  private static void respond(RoutingContext ctx, Future<AgreementStore.Outcome> outcome) {
    outcome.onSuccess(result -> ctx.response()
            .setStatusCode(result.created() ? 201 : 200)
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .end(reportJson(result.report()).put("changed", result.changed()).encode()))
        .onFailure(ctx::fail);
  }

  private static Future<AgreementStore.Outcome> guarded(java.util.function.Supplier<Future<AgreementStore.Outcome>> call) {
    return call.get().recover(e -> Future.failedFuture(e instanceof ProtocolException p ? AgreementErrors.toApi(p) : e));
  }

  private void listAgreements(RoutingContext ctx) {
    federation.agreements().versionRows().onSuccess(rows -> {
      Map<String, AgreementSql.VersionRow> byKey = rows.stream()
          .collect(Collectors.toMap(r -> r.agreementId() + "@" + r.version(), Function.identity()));
      JsonArray list = new JsonArray();
      for (AgreementReport report : federation.agreements().current().reports(federation.clock().instant())) {
        JsonObject json = reportJson(report);
        AgreementSql.VersionRow row = byKey.get(report.agreement().id() + "@" + report.agreement().version());
        if (row != null) {
          json.put("importedAt", row.importedAt().toString()).put("updatedAt", row.updatedAt().toString());
        }
        list.add(json);
      }
      ctx.json(new JsonObject().put("agreements", list));
    }).onFailure(ctx::fail);
  }

  private void listPeers(RoutingContext ctx) {
    peers.probeAll(ctx.vertx()).onSuccess(statuses -> ctx.json(new JsonObject()
        .put("node", federation.identity().name())
        .put("peers", new JsonArray(statuses.stream().map(PeerStatus::toJson).toList())))).onFailure(ctx::fail);
  }

  static JsonObject reportJson(AgreementReport report) {
    return new JsonObject(jp.tsunagu.federation.json.Json.write(report.toJson()));
  }
}
