package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.storage.Database;

/** What the identity routes share: one instance per listener, used by every verticle instance of it. */
record IdentityContext(NodeServices services, AuditLog audit, Mailer mailer, CertificateIssuer issuer,
    RevokedCertificates revoked) {

  /** Reads the revoked certificates once, now. */
  static IdentityContext create(NodeServices services) {
    RevokedCertificates revoked = new RevokedCertificates(
        services.database().submitRead(CertificateStore::revokedFingerprints).join());
    // On an instance of a clustered node revocations made on the leader arrive as replicated rows.
    services.database().onReplicated(tables -> {
      if (tables.contains("device_certificates")) {
        services.database().submitRead(CertificateStore::revokedFingerprints).thenAccept(revoked::addAll);
      }
    });
    return new IdentityContext(services, new AuditLog(services.database(), services.clock()),
        new Mailer(services.config().mail()), new CertificateIssuer(services), revoked);
  }

  Database database() {
    return services.database();
  }

  Instant now() {
    return Instant.now(services.clock());
  }

  String network() {
    return services.config().node().displayName();
  }

  /**
   * The web listener's address for links in mails and handed-over credentials: {@code web.publicUrl},
   * else the configured web host and the port listened on; never the {@code Host} a request names.
   */
  String webBaseUrl() {
    return services.config().webUrl();
  }

  /** Sends the mails in order; true when every one went out (the mailer logs a failure, never a mail's text). */
  Future<Boolean> mail(Vertx vertx, List<Mailer.Mail> mails) {
    return mailer.send(vertx, mails).map(true).otherwise(false);
  }

  /**
   * Sends the mails of a decision and records in the decision's row of {@code table} (a table with
   * {@code mail_status}) whether they went out, so staff can send them again later.
   */
  Future<Boolean> mailDecision(Vertx vertx, String table, String id, List<Mailer.Mail> mails) {
    return mail(vertx, mails).compose(sent -> database().write(c -> {
      UserStore.update(c, "update " + table + " set mail_status = ? where id = ?", sent ? "sent" : "failed", id);
      return sent;
    }));
  }

  /** Slow CPU work (Argon2id, key generation) on a worker thread, unordered so logins run in parallel. */
  static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().executeBlocking(work, false);
  }
}
