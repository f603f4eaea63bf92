package jp.tsunagu.node.reports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.StatisticsExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.storage.Database;

/**
 * The answering node's side of a pact report, on the federation listener. Before anything is counted:
 * the calling partner's pin (the listener), an active agreement with the {@code statistics} scope
 * (else {@code federation.scope_not_granted}, nothing disclosed), the signature by the caller's key,
 * the clock window, a well-formed period within the limit, and a request id never seen. The answer is
 * a summary of counts signed by this node, small cells suppressed here. Every answer and refusal is
 * audited as the calling node's.
 */
final class StatisticsAnswers {

  private final Database database;
  private final AuditLog audit;
  private final Federation federation;
  private final Predicate<String> scoped;
  private final UsageReports reports;

  StatisticsAnswers(Database database, AuditLog audit, Federation federation, Predicate<String> scoped,
      UsageReports reports) {
    this.database = database;
    this.audit = audit;
    this.federation = federation;
    this.scoped = scoped;
    this.reports = reports;
  }

  void mount(Router router) {
    router.post(StatisticsExchange.PATH).handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    String node = CallingPartner.of(ctx).profile().name();
    StatisticsExchange.Request request;
    ReportPeriod period;
    try {
      request = verified(node, ctx.body().asString());
      period = ReportPeriod.parse(request.from(), request.to(), reports.currentMonth());
    } catch (CodedException e) {
      refused(node, e).onFailure(ctx::fail);
      return;
    }
    Instant now = federation.clock().instant();
    // The id is kept inside the same write that finds it new: two copies sent at once cannot both pass.
    database.write(c -> {
      try (PreparedStatement s = c.prepareStatement("insert into statistics_requests (request_id, node, received_at)"
          + " values (?, ?, ?) on conflict do nothing")) {
        s.setString(1, request.requestId());
        s.setString(2, node);
        s.setString(3, now.toString());
        if (s.executeUpdate() == 0) {
          throw StatisticsErrors.replayed();
        }
      }
      return request;
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal() ? refused(node, coded)
        : Future.failedFuture(e))
        .compose(ok -> reports.counted(period))
        .compose(report -> audit.record(AuditEvent.success("node:" + node, "reports.statistics.answered",
            "reports:" + Scopes.STATISTICS, new JsonObject().put("from", period.first().toString())
                .put("to", period.last().toString()).put("request", request.requestId())))
            .map(ignored -> PactSummaries.of(request.requestId(), federation.identity().name(), report)))
        .onSuccess(summary -> ctx.response().putHeader("Content-Type", FederationV1.JOSE)
            .putHeader("Cache-Control", "no-store").end(summary.sign(federation.identity())))
        .onFailure(ctx::fail);
  }

  private StatisticsExchange.Request verified(String node, String compact) {
    if (!scoped.test(node)) {
      throw StatisticsErrors.scopeNotGranted();
    }
    StatisticsExchange.Request request;
    try {
      request = StatisticsExchange.Request.verify(compact, federation.agreements().current()
          .trustStore(federation.identity().name(), federation.clock().instant()));
    } catch (ProtocolException e) {
      throw e.code().endsWith(".malformed") || e.code().endsWith("version_unsupported")
          ? StatisticsErrors.malformed(e.getMessage()) : StatisticsErrors.signatureInvalid(e.getMessage());
    }
    if (!request.node().equals(node)) {
      throw StatisticsErrors.signatureInvalid("signed by " + request.node() + ", called by " + node);
    }
    if (Duration.between(request.issuedAt(), federation.clock().instant()).abs()
        .compareTo(StatisticsExchange.MAX_SKEW) > 0) {
      throw StatisticsErrors.stale();
    }
    return request;
  }

  private <T> Future<T> refused(String node, CodedException e) {
    return audit.record(AuditEvent.refused("node:" + node, "reports.statistics.request", "reports:" + Scopes.STATISTICS,
        new JsonObject().put("reason", e.code()))).transform(ignored -> Future.failedFuture(e));
  }
}
