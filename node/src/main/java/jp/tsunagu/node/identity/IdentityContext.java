package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.concurrent.Callable;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.storage.Database;

/** What the identity routes share: one instance per node, used by every web verticle instance. */
record IdentityContext(NodeServices services, AuditLog audit, Mailer mailer, CertificateIssuer issuer,
    RevokedCertificates revoked, LoginThrottle throttle) {

  Database database() {
    return services.database();
  }

  Instant now() {
    return Instant.now(services.clock());
  }

  /** Slow CPU work (Argon2id, key generation) on a worker thread, unordered so logins run in parallel. */
  static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().executeBlocking(work, false);
  }
}
