package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.wire.AccessReadsExchange;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.federation.CallingPartner;
import jp.tsunagu.node.federation.Federation;

/**
 * The partner's side of the patient's access report, on the federation listener: the board's home node
 * asks for one month of the reads this node's professionals made on its copy of the board. Before
 * anything is read: the caller's pin (the listener), the {@code care-team} scope, the signature by the
 * caller's key, the clock window, a well-formed month, a request id never seen, and that the copy here
 * has the caller as its home. A board not held here and a board of another home are refused alike
 * ({@code family.access_reads_not_found}), so the answer says nothing of which boards this node holds.
 * Every answer and refusal is audited as the calling node's.
 */
final class AccessReadsAnswers {

  private final FamilyContext family;
  private final Federation federation;
  private final Predicate<String> careTeam;

  AccessReadsAnswers(FamilyContext family, Federation federation, Predicate<String> careTeam) {
    this.family = family;
    this.federation = federation;
    this.careTeam = careTeam;
  }

  void mount(Router router) {
    router.post(AccessReadsExchange.PATH).handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    String node = CallingPartner.of(ctx).profile().name();
    AccessReadsExchange.Request request;
    YearMonth month;
    try {
      request = verified(node, ctx.body().asString());
      month = AccessReport.month(request.month());
    } catch (CodedException e) {
      refused(node, "family", e).onFailure(ctx::fail);
      return;
    }
    String self = federation.identity().name();
    String target = FamilyContext.patientTarget(request.board());
    Instant now = federation.clock().instant();
    family.services().database().write(c -> {
      if (!family.patients().homeNode(c, request.board()).map(node::equals).orElse(false)) {
        throw FamilyErrors.accessReadsNotFound();
      }
      if (FamilySql.update(c, "insert into family_access_read_requests (request_id, node, received_at)"
          + " values (?, ?, ?) on conflict do nothing", request.requestId(), node, now.toString()) == 0) {
        throw FamilyErrors.accessReadsReplayed();
      }
      JsonObject report = AccessReport.build(c, family.notices(), self, request.board(), month);
      List<AccessReadsExchange.Reader> readers = new ArrayList<>();
      for (Object item : report.getJsonArray("viewers")) {
        JsonObject viewer = (JsonObject) item;
        if (!viewer.getBoolean("partner")) {
          readers.add(new AccessReadsExchange.Reader(viewer.getString("actor") + "@" + self, viewer.getString("name"),
              viewer.getString("profession"), viewer.getString("facility"), viewer.getInteger("count"),
              viewer.getJsonArray("days").stream().map(String::valueOf).toList()));
        }
      }
      family.audit().append(c, AuditEvent.success("node:" + node, "family.access_reads.answered", target,
          new JsonObject().put("month", month.toString()).put("request", request.requestId())
              .put("readers", readers.size())));
      return new AccessReadsExchange.Reads(request.requestId(), self, request.board(), month.toString(), readers);
    }).recover(e -> e instanceof CodedException coded && coded.kind().isRefusal() ? refused(node, target, coded)
        : Future.failedFuture(e))
        .onSuccess(reads -> ctx.response().putHeader("Content-Type", FederationV1.JOSE)
            .putHeader("Cache-Control", "no-store").end(reads.sign(federation.identity())))
        .onFailure(ctx::fail);
  }

  private AccessReadsExchange.Request verified(String node, String compact) {
    if (!careTeam.test(node)) {
      throw FamilyErrors.accessReadsScopeNotGranted();
    }
    AccessReadsExchange.Request request;
    try {
      request = AccessReadsExchange.Request.verify(compact, federation.agreements().current()
          .trustStore(federation.identity().name(), federation.clock().instant()));
    } catch (ProtocolException e) {
      throw e.code().endsWith(".malformed") || e.code().endsWith("version_unsupported")
          ? FamilyErrors.accessReadsMalformed(e.getMessage()) : FamilyErrors.accessReadsSignatureInvalid(e.getMessage());
    }
    if (!request.node().equals(node)) {
      throw FamilyErrors.accessReadsSignatureInvalid("signed by " + request.node() + ", called by " + node);
    }
    if (Duration.between(request.issuedAt(), federation.clock().instant()).abs()
        .compareTo(AccessReadsExchange.MAX_SKEW) > 0) {
      throw FamilyErrors.accessReadsStale();
    }
    return request;
  }

  private <T> Future<T> refused(String node, String target, CodedException e) {
    return family.audit().record(AuditEvent.refused("node:" + node, "family.access_reads.request", target,
        new JsonObject().put("reason", e.code()))).transform(ignored -> Future.failedFuture(e));
  }
}
