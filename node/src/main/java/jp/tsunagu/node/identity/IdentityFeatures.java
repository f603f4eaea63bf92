package jp.tsunagu.node.identity;

import io.vertx.ext.web.Router;
import java.util.List;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.web.Feature;

/**
 * Identity and access as features of the web listener: the certificate gate and session loading
 * in front of every route, then registration, approval, login, certificates and facility screens.
 */
public final class IdentityFeatures implements Feature {

  private final SessionFilter filter;

  private IdentityFeatures(IdentityContext identity) {
    this.filter = new SessionFilter(identity);
  }

  /** Builds the node's identity features; reads the revoked certificates once, now. */
  public static List<Feature> create(NodeServices services) {
    RevokedCertificates revoked = new RevokedCertificates(
        services.database().submitRead(CertificateStore::revokedFingerprints).join());
    IdentityContext identity = new IdentityContext(services, new AuditLog(services.database(), services.clock()),
        new Mailer(services.config().mail()), new CertificateIssuer(services), revoked,
        new LoginThrottle(services.clock()));
    CertificateRoutes certificates = new CertificateRoutes(identity);
    return List.of(new IdentityFeatures(identity), new AuthRoutes(identity), new RegistrationRoutes(identity),
        new ApprovalRoutes(identity), certificates, new FacilityRoutes(identity, certificates));
  }

  @Override
  public void mountFilters(Router root) {
    root.route().handler(filter::gate);
    root.route("/api/*").handler(filter::loadSession);
  }
}
