package jp.tsunagu.node.federation;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.federation.wire.ResourceListing;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.resources.ResourceListings;
import jp.tsunagu.node.resources.ResourceService;

/**
 * This node's published resources, signed, for partners under the {@code resources-directory}
 * scope, on the federation listener. Judged against the agreements as they stand at each request;
 * every answer and refusal is audited with the asking node.
 */
final class ResourceDirectoryRoutes {

  private final Federation federation;
  private final ResourceService resources;
  private final ScopedPartners scoped;
  private final AuditLog audit;

  ResourceDirectoryRoutes(Federation federation, ResourceService resources) {
    this.federation = federation;
    this.resources = resources;
    this.scoped = new ScopedPartners(federation);
    this.audit = new AuditLog(federation.services().database(), federation.clock());
  }

  void mount(Router router) {
    router.get(ResourceListing.PATH).handler(this::resources);
  }

  /** This node's published resources, signed, for a partner under the resources-directory scope. */
  private void resources(RoutingContext ctx) {
    NodeCard peer = CallingPartner.of(ctx);
    String actor = "node:" + peer.profile().name();
    String target = "directory:resources";
    if (!scoped.allows(peer.profile().name(), Scopes.RESOURCES_DIRECTORY)) {
      audit.record(AuditEvent.refused(actor, "federation.directory.resources", target,
          new JsonObject().put("reason", "scope_not_granted")))
          .onComplete(ignored -> ctx.fail(DirectoryRoutes.scopeNotGranted(Scopes.RESOURCES_DIRECTORY)));
      return;
    }
    resources.catalog()
        .map(catalog -> ResourceListing.sign(federation.identity(), ResourceListings.vocabulary(catalog),
            ResourceListings.resources(catalog), federation.clock().instant()))
        .compose(listing -> audit.record(AuditEvent.success(actor, "federation.directory.resources", target,
            new JsonObject().put("resources", listing.resources().size()))).map(listing))
        .onSuccess(listing -> {
          federation.contacted(peer.profile().name());
          ctx.response().putHeader("Content-Type", FederationV1.JOSE).putHeader("Cache-Control", "no-store")
              .end(listing.compact());
        }).onFailure(ctx::fail);
  }
}
