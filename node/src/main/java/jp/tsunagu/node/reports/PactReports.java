package jp.tsunagu.node.reports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.StatisticsExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.LazyFederationClient;

/**
 * The asking node's side of a pact report (広域連携のレポート): its own summary and one signed request to
 * each partner that shares an active agreement with the {@code statistics} scope now, each answer's
 * signature checked against the partner asked. A partner that refuses, does not answer, or answers
 * something that does not verify is named among the nodes that did not answer, with the reason's code.
 */
final class PactReports {

  private final Federation federation;
  private final Predicate<String> scoped;
  private final UsageReports reports;
  private final AuditLog audit;
  private final LazyFederationClient client;

  PactReports(Federation federation, Predicate<String> scoped, UsageReports reports, AuditLog audit) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.scoped = scoped;
    this.reports = reports;
    this.audit = audit;
  }

  /** The partners asked now, in agreement order. */
  List<NodeCard> partners() {
    Instant now = federation.clock().instant();
    return federation.agreements().current().partners(federation.identity().name(), now).stream()
        .filter(card -> scoped.test(card.profile().name())).toList();
  }

  Future<JsonObject> report(Vertx vertx, String userId, ReportPeriod period) {
    String self = federation.identity().name();
    Future<StatisticsExchange.Summary> own = reports.counted(period)
        .map(report -> PactSummaries.of("local", self, report));
    List<NodeCard> partners = partners();
    List<Future<Object>> asked = new ArrayList<>();
    for (NodeCard partner : partners) {
      asked.add(ask(vertx, partner, period).<Object>map(summary -> summary)
          .recover(e -> Future.succeededFuture(new JsonObject().put("node", partner.profile().name())
              .put("code", e instanceof ProtocolException p ? p.code() : "reports.partner_unavailable"))));
    }
    return own.compose(mine -> Future.join(asked).map(done -> {
      JsonArray nodes = new JsonArray().add(toJson(mine));
      JsonArray unanswered = new JsonArray();
      Map<String, String> labels = new TreeMap<>(mine.labels());
      for (Future<Object> answer : asked) {
        if (answer.result() instanceof StatisticsExchange.Summary summary) {
          nodes.add(toJson(summary));
          summary.labels().forEach(labels::putIfAbsent);
        } else {
          unanswered.add(answer.result());
        }
      }
      return new JsonObject().put("from", period.first().toString()).put("to", period.last().toString())
          .put("smallCell", StatisticsExchange.SMALL_CELL).put("labels", new JsonObject(new TreeMap<>(labels)))
          .put("nodes", nodes).put("unanswered", unanswered);
    })).compose(answer -> audit.record(AuditEvent.success(userId, "reports.pact.read", "reports:" + Scopes.STATISTICS,
        new JsonObject().put("from", period.first().toString()).put("to", period.last().toString())
            .put("asked", partners.size()).put("unanswered", answer.getJsonArray("unanswered").size())))
        .map(ignored -> answer));
  }

  private Future<StatisticsExchange.Summary> ask(Vertx vertx, NodeCard partner, ReportPeriod period) {
    String node = partner.profile().name();
    StatisticsExchange.Request request = new StatisticsExchange.Request(UUID.randomUUID().toString(),
        federation.identity().name(), period.first().toString(), period.last().toString(), federation.clock().instant());
    return client.get(vertx).call(partner, HttpMethod.POST, StatisticsExchange.PATH,
            Buffer.buffer(request.sign(federation.identity())), FederationV1.JOSE)
        .recover(e -> Future.failedFuture(new ProtocolException("reports.partner_unavailable", node + ": " + e.getMessage())))
        .compose(reply -> {
          if (reply.status() != 200) {
            // an answer that is not our error shape: the partner is counted as not answering
            String code = ErrorResponse.codeOr(reply.body().toString(), "reports.partner_unavailable");
            return Future.failedFuture(new ProtocolException(code, node + " refused"));
          }
          StatisticsExchange.Summary summary = StatisticsExchange.Summary.verify(reply.body().toString(),
              federation.agreements().current().trustStore(federation.identity().name(), federation.clock().instant()),
              node);
          if (!summary.requestId().equals(request.requestId())) {
            throw new ProtocolException("statistics_summary.request_mismatch", node + " answered another request");
          }
          federation.contacted(node);
          return Future.succeededFuture(summary);
        });
  }

  private static JsonObject toJson(StatisticsExchange.Summary s) {
    JsonObject months = new JsonObject();
    s.months().forEach((month, counts) -> months.put(month, new JsonObject(new TreeMap<>(counts))));
    JsonObject suppressed = new JsonObject();
    s.suppressed().forEach((month, keys) -> suppressed.put(month, new JsonArray(keys)));
    return new JsonObject().put("node", s.node()).put("months", months).put("suppressed", suppressed);
  }

  void close() {
    client.close();
  }
}
