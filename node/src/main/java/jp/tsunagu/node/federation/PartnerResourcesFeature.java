package jp.tsunagu.node.federation;

import io.vertx.core.Deployable;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.resources.ResourceService;
import jp.tsunagu.node.web.RouteSet;

/**
 * Regional resources across a wide-area agreement ({@code resources-directory} scope): this node's
 * published resources, signed, for partners on the federation listener; partners' listings pulled,
 * verified and shown on the portal; their status for the operator on the admin listener.
 */
public final class PartnerResourcesFeature implements NodeFeature {

  private final Federation federation;
  private final ResourceService resources;
  private final PartnerResourceSync sync;
  private final List<RouteSet> adminRoutes;

  public PartnerResourcesFeature(NodeServices services, Federation federation, ResourceService resources) {
    this.federation = federation;
    this.resources = resources;
    this.sync = new PartnerResourceSync(services, federation, resources.partners());
    this.adminRoutes = List.of(new PartnerResourceAdminRoutes(sync));
  }

  /** The pull of partners' listings (its status per partner). */
  public PartnerResourceSync sync() {
    return sync;
  }

  @Override
  public String name() {
    return "partner-resources";
  }

  @Override
  public List<RouteSet> adminRoutes() {
    return adminRoutes;
  }

  @Override
  public void mountFederation(Router router) {
    new ResourceDirectoryRoutes(federation, resources).mount(router);
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    return List.of(() -> new PartnerResourceSyncVerticle(sync));
  }
}
