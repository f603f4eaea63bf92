package jp.tsunagu.node.identity;

import java.util.List;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.RouteSet;

/**
 * Identity and access: the certificate gate and session loading in front of every route of the web
 * listener, registration, approval, login, certificates, facilities and withdrawals; the operator's
 * account API on the admin listener; the demo's accounts. One {@link IdentityContext} for both
 * listeners, so the revoked certificates and lockouts are the same whichever listener changed them.
 */
public final class IdentityFeature implements NodeFeature {

  private final IdentityContext identity;
  private final List<RouteSet> webRoutes;
  private final List<RouteSet> adminRoutes;

  private final Professionals professionals;

  public IdentityFeature(NodeServices services) {
    this.identity = IdentityContext.create(services);
    this.professionals = new Professionals(services.database());
    this.webRoutes = IdentityFeatures.create(identity);
    this.adminRoutes = List.of(new AccountAdminRoutes(identity));
  }

  /** This node's professionals, as the review board appoints its reviewers from them. */
  public Professionals professionals() {
    return professionals;
  }

  @Override
  public String name() {
    return "identity";
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
  public void seedDemo() {
    DemoAccounts.ensure(identity.services());
  }

  @Override
  public List<jp.tsunagu.node.feature.UsageFigures> usageFigures() {
    return List.of(new IdentityFigures());
  }
}
