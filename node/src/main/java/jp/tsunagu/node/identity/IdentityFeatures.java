package jp.tsunagu.node.identity;

import io.vertx.ext.web.Router;
import java.util.List;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.RouteSet;

/**
 * Identity and access as features of the web listener: the certificate gate and session loading
 * in front of every route, then registration, approval, login, certificates and facility screens.
 */
public final class IdentityFeatures implements RouteSet {

  private final SessionFilter filter;

  private IdentityFeatures(IdentityContext identity) {
    this.filter = new SessionFilter(identity);
  }

  /** The identity routes of the web listener; the context has read the revoked certificates once. */
  static List<RouteSet> create(IdentityContext identity) {
    CertificateRoutes certificates = new CertificateRoutes(identity);
    return List.of(new IdentityFeatures(identity), new AuthRoutes(identity), new RegistrationRoutes(identity),
        new ApprovalRoutes(identity), new WithdrawalRoutes(identity), new MunicipalAccountRoutes(identity),
        certificates, new FacilityRoutes(identity, certificates), new DemoAccountRoutes(identity));
  }

  @Override
  public void mountFilters(Router root) {
    root.route().handler(filter::gate);
    root.route("/api/*").handler(filter::loadSession);
  }
}
