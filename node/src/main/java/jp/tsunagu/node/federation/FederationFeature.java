package jp.tsunagu.node.federation;

import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Predicate;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.web.RouteSet;

/**
 * Wide-area agreements and what they open: the operator's agreement API on the admin listener, the
 * directory of partners' professionals for the node's people, and the directory of this node's
 * professionals that partners read over the federation listener. Holds the node's one
 * {@link Federation} (agreements, pins, partners' profiles), which the features that talk to partners
 * are given.
 */
public final class FederationFeature implements NodeFeature {

  private final Federation federation;
  private final List<RouteSet> webRoutes;
  private final List<RouteSet> adminRoutes;

  public FederationFeature(NodeServices services) {
    this.federation = new Federation(services);
    this.webRoutes = List.of(new PartnerDirectoryApi(federation,
        List.of(AccessGuard.roles(Role.PROFESSIONAL, Role.FACILITY_ADMIN))));
    this.adminRoutes = List.of(new AgreementAdminRoutes(federation));
  }

  /** The node's federation state. */
  public Federation federation() {
    return federation;
  }

  /** Whether a node shares an active agreement with this one that grants {@code scope} now. */
  public Predicate<String> partnersUnder(String scope) {
    String local = federation.identity().name();
    return node -> federation.agreements().current()
        .scopesBetween(local, node, federation.clock().instant()).contains(scope);
  }

  /** {@link #partnersUnder} for care teams. */
  public Predicate<String> careTeamPartners() {
    return partnersUnder(Scopes.CARE_TEAM);
  }

  @Override
  public String name() {
    return "federation";
  }

  @Override
  public List<RouteSet> webRoutes() {
    return webRoutes;
  }

  @Override
  public List<RouteSet> adminRoutes() {
    return adminRoutes;
  }

  @Override
  public void mountFederation(Router router) {
    new DirectoryRoutes(federation).mount(router);
  }
}
