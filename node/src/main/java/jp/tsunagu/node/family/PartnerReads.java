package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.AccessReadsExchange;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.LazyFederationClient;

/**
 * The home node's side of the access report across nodes: each partner that holds a copy of the
 * patient's board is asked for the month's reads its professionals made there, and the signed answers
 * are merged into the report (a professional already in it gains the partner's reads and days). A
 * partner that is outside a {@code care-team} agreement now, refuses, does not answer, or answers
 * something that does not verify is named in {@code unanswered} with the reason's code.
 */
final class PartnerReads {

  private final Federation federation;
  private final Predicate<String> careTeam;
  private final LazyFederationClient client;

  PartnerReads(Federation federation, Predicate<String> careTeam) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.careTeam = careTeam;
  }

  /** The report with the partners' reads merged in and the nodes that did not answer named. */
  Future<JsonObject> merged(Vertx vertx, String patientId, YearMonth month, JsonObject report) {
    List<Future<Object>> asked = new ArrayList<>();
    for (Object node : report.getJsonArray("replicaNodes")) {
      String name = String.valueOf(node);
      asked.add(ask(vertx, name, patientId, month).<Object>map(reads -> reads)
          .recover(e -> Future.succeededFuture(new JsonObject().put("node", name)
              .put("code", e instanceof ProtocolException p ? p.code() : "family.partner_unavailable"))));
    }
    return Future.join(asked).transform(done -> {
      JsonArray unanswered = new JsonArray();
      for (Future<Object> answer : asked) {
        if (answer.result() instanceof AccessReadsExchange.Reads reads) {
          reads.readers().forEach(reader -> add(report.getJsonArray("viewers"), reads.node(), reader));
        } else {
          unanswered.add(answer.result());
        }
      }
      report.getJsonArray("viewers").forEach(viewer -> ((JsonObject) viewer).remove("actor"));
      return Future.succeededFuture(report.put("unanswered", unanswered));
    });
  }

  private static void add(JsonArray viewers, String node, AccessReadsExchange.Reader reader) {
    for (Object item : viewers) {
      JsonObject viewer = (JsonObject) item;
      if (node.equals(viewer.getString("node")) && reader.name().equals(viewer.getString("name"))
          && reader.facility().equals(viewer.getString("facility"))) {
        TreeSet<String> days = new TreeSet<>(viewer.getJsonArray("days").stream().map(String::valueOf).toList());
        days.addAll(reader.days());
        viewer.put("count", viewer.getInteger("count") + (int) reader.count()).put("days", new JsonArray(List.copyOf(days)));
        return;
      }
    }
    JsonObject profile = new JsonObject().put("id", reader.id()).put("familyName", reader.name())
        .put("profession", reader.profession());
    viewers.add(new JsonObject().put("name", reader.name()).put("profession", reader.profession())
        .put("facility", reader.facility()).put("node", node).put("partner", true)
        .put("description", TimelineNotices.describe(profile)).put("count", (int) reader.count())
        .put("days", new JsonArray(reader.days())));
  }

  private Future<AccessReadsExchange.Reads> ask(Vertx vertx, String node, String patientId, YearMonth month) {
    Instant now = federation.clock().instant();
    String self = federation.identity().name();
    Optional<NodeCard> partner = federation.agreements().current().partners(self, now).stream()
        .filter(card -> card.profile().name().equals(node)).findFirst();
    if (partner.isEmpty() || !careTeam.test(node)) {
      return Future.failedFuture(new ProtocolException("federation.scope_not_granted", node));
    }
    AccessReadsExchange.Request request = new AccessReadsExchange.Request(UUID.randomUUID().toString(), self,
        patientId, month.toString(), now);
    return client.get(vertx).call(partner.get(), HttpMethod.POST, AccessReadsExchange.PATH,
            Buffer.buffer(request.sign(federation.identity())), FederationV1.JOSE)
        .recover(e -> Future.failedFuture(new ProtocolException("family.partner_unavailable", node + ": " + e.getMessage())))
        .compose(reply -> {
          if (reply.status() != 200) {
            // an answer that is not our error shape: the partner is counted as not answering
            String code = ErrorResponse.codeOr(reply.body().toString(), "family.partner_unavailable");
            return Future.failedFuture(new ProtocolException(code, node + " refused"));
          }
          AccessReadsExchange.Reads reads = AccessReadsExchange.Reads.verify(reply.body().toString(),
              federation.agreements().current().trustStore(self, federation.clock().instant()), node);
          if (!reads.requestId().equals(request.requestId()) || !reads.board().equals(patientId)
              || !reads.month().equals(month.toString())) {
            throw new ProtocolException("access_reads.request_mismatch", node + " answered another request");
          }
          federation.contacted(node);
          return Future.succeededFuture(reads);
        });
  }

  void close() {
    client.close();
  }
}
