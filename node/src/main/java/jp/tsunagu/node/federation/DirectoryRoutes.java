package jp.tsunagu.node.federation;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.ProfessionalDirectory;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.resources.ResourceListings;
import jp.tsunagu.node.resources.ResourcesFeature;

/**
 * The directory of this node's professionals that partners read over the federation listener (under
 * the {@code care-team} scope); the resources directory is {@link ResourceDirectoryRoutes}. Each request is judged against the agreements
 * as they stand at that moment, and every answer and refusal is written to the audit log with the
 * asking node and person.
 */
final class DirectoryRoutes {

  private final Federation federation;
  private final ScopedPartners scoped;
  private final AuditLog audit;

  DirectoryRoutes(Federation federation) {
    this.federation = federation;
    this.scoped = new ScopedPartners(federation);
    this.audit = new AuditLog(federation.services().database(), federation.clock());
  }

  void mount(Router router) {
    router.get(ProfessionalDirectory.PATH).handler(this::professionals);
  }

  private void professionals(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    String actor = "node:" + peer.profile().name();
    String target = "directory:professionals";
    String requester;
    String query;
    try {
      requester = requester(ctx, peer);
      query = ProfessionalDirectory.requireQuery(ctx.request().getParam("q"));
    } catch (ProtocolException e) {
      ctx.fail(CodedException.invalid(e.code(), e.getMessage()));
      return;
    }
    JsonObject detail = new JsonObject().put("requester", requester).put("query", query);
    if (!scoped.allows(peer.profile().name(), Scopes.CARE_TEAM)) {
      audit.record(AuditEvent.refused(actor, "federation.directory.professionals", target,
          detail.put("reason", "scope_not_granted"))).onComplete(ignored -> ctx.fail(scopeNotGranted(Scopes.CARE_TEAM)));
      return;
    }
    String local = federation.identity().name();
    federation.services().database().write(c -> {
      var found = DirectorySql.professionals(c, query, local);
      audit.append(c, AuditEvent.success(actor, "federation.directory.professionals", target,
          detail.put("results", found.size())));
      return new ProfessionalDirectory(local, found);
    }).onSuccess(answer -> {
      federation.contacted(peer.profile().name());
      ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(answer.toJsonText());
    }).onFailure(ctx::fail);
  }

  /** Who asks, as the calling node names them: one of its own people, never someone of another node. */
  private static String requester(RoutingContext ctx, NodeCard peer) {
    String header = ctx.request().getHeader(ProfessionalDirectory.REQUESTER_HEADER);
    FederatedId id;
    try {
      id = FederatedId.parse(header);
    } catch (ProtocolException e) {
      throw new ProtocolException("directory.requester_invalid", ProfessionalDirectory.REQUESTER_HEADER
          + " must name the person asking as loginId@" + peer.profile().name());
    }
    if (!id.node().equals(peer.profile().name())) {
      throw new ProtocolException("directory.requester_invalid", peer.profile().name()
          + " cannot ask on behalf of " + id);
    }
    return id.toString();
  }

  static CodedException scopeNotGranted(String scope) {
    return CodedException.forbidden("federation.scope_not_granted",
        "no active agreement between the two nodes allows the '" + scope + "' scope");
  }
}
