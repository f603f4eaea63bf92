package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.errors.CodedException;

/**
 * Device certificates: the one-time PKCS#12 download (public, by retrieval number and password),
 * a user's own list and revocation, and the shared steps the facility administrator's screens use
 * to issue and revoke.
 */
final class CertificateRoutes implements RouteSet {

  static final int DOWNLOAD_ATTEMPTS = 5;
  private static final String RETRIEVAL_FAILED = "取得番号またはパスワードが正しくないか、すでにダウンロード済みです。";

  private final IdentityContext identity;

  CertificateRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/certificates/download").handler(AccessGuard::csrf).handler(this::download);
    api.get("/account/certificates").handler(AccessGuard.roles()).handler(this::mine);
    api.post("/account/certificates/:id/revoke").handler(AccessGuard.roles()).handler(AccessGuard::csrf)
        .handler(this::revokeMine);
  }

  private void download(RoutingContext ctx) {
    Fields fields = Fields.of(ctx);
    String number = fields.text("retrievalNumber", "取得番号", 40).replaceAll("[-\\s]", "");
    String password = fields.password("password");
    if (!number.matches("\\d{16}")) {
      ctx.fail(CodedException.invalid("validation.malformed", "取得番号は16桁の数字です。"));
      return;
    }
    identity.database().read(c -> CertificateStore.pendingByRetrieval(c, number))
        .compose(pending -> pending.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(retrievalFailed())))
        .compose(pending -> IdentityContext.blocking(ctx, () -> opens(pending.pkcs12(), password))
            .compose(ok -> identity.database().write(c -> {
              if (!ok) {
                boolean destroyed = CertificateStore.countDownloadFailure(c, pending.id(), DOWNLOAD_ATTEMPTS);
                identity.audit().append(c, AuditEvent.refused("anonymous", "certificate.download_failed",
                    "certificate:" + pending.id(), new JsonObject().put("destroyed", destroyed)));
                return false;
              }
              if (!CertificateStore.claimDownload(c, pending.id(), identity.now())) {
                return false;
              }
              identity.audit().append(c, AuditEvent.success(pending.userId(), "certificate.downloaded",
                  "certificate:" + pending.id(), null));
              return true;
            }))
            .compose(ok -> ok ? Future.succeededFuture(pending.pkcs12()) : Future.failedFuture(retrievalFailed())))
        .onSuccess(p12 -> ctx.response().putHeader("Content-Type", "application/x-pkcs12")
            .putHeader("Content-Disposition", "attachment; filename=\"tsunagu-device.p12\"")
            .end(io.vertx.core.buffer.Buffer.buffer(p12)))
        .onFailure(ctx::fail);
  }

  private static boolean opens(byte[] pkcs12, String password) {
    try {
      KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(pkcs12), password.toCharArray());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private void mine(RoutingContext ctx) {
    Principal principal = Principal.required(ctx);
    identity.database().read(c -> CertificateStore.ofUser(c, principal.user().id()))
        .onSuccess(list -> ctx.json(listJson(list))).onFailure(ctx::fail);
  }

  private void revokeMine(RoutingContext ctx) {
    Principal principal = Principal.required(ctx);
    revoke(ctx, principal, ctx.pathParam("id"), user -> user.id().equals(principal.user().id()));
  }

  /** Revokes a certificate whose owner passes {@code mayManage}; any other id is a 404. */
  void revoke(RoutingContext ctx, Principal actor, String certificateId,
      java.util.function.Predicate<User> mayManage) {
    identity.database().write(c -> {
      Optional<DeviceCertificate> certificate = CertificateStore.byId(c, certificateId);
      Optional<User> owner = certificate.isEmpty() ? Optional.empty()
          : UserStore.byId(c, certificate.get().userId());
      if (owner.isEmpty() || !mayManage.test(owner.get())) {
        throw notFound();
      }
      if (CertificateStore.revoke(c, certificateId, actor.user().id(), identity.now())) {
        identity.audit().append(c, AuditEvent.success(actor.user().id(), "certificate.revoked",
            "certificate:" + certificateId, new JsonObject().put("user", owner.get().id())));
      }
      return certificate.get();
    }).onSuccess(certificate -> {
      identity.revoked().add(certificate.fingerprint());
      ctx.json(new JsonObject().put("id", certificateId).put("state", "revoked"));
    }).onFailure(ctx::fail);
  }

  /** An issued certificate and whether its retrieval number went out by mail. */
  record Issue(String id, boolean mailSent, CertificateIssuer.Issued issued) {}

  /**
   * Issues a certificate for a user and mails its retrieval number and password to them; when the
   * mail did not go out, the answer carries them once for hand-over (audited).
   */
  Future<JsonObject> issue(RoutingContext ctx, Principal actor, User owner, String deviceType, String remark) {
    return issueAndMail(ctx, actor, owner, deviceType, remark).compose(issue -> {
      JsonObject out = new JsonObject().put("id", issue.id()).put("mailSent", issue.mailSent());
      if (issue.mailSent()) {
        return Future.succeededFuture(out);
      }
      return HandOver.shown(identity, actor.user().id(), owner.id(),
              HandOver.certificate(issue.issued(), identity.webBaseUrl()).put("loginId", owner.loginId()), "mail_not_sent")
          .map(credentials -> out.put("credentials", credentials.orElseThrow()));
    });
  }

  /** Issues a certificate and mails its retrieval number; the caller decides what a failed mail means. */
  Future<Issue> issueAndMail(RoutingContext ctx, Principal actor, User owner, String deviceType, String remark) {
    String certificateId = Secrets.id();
    return IdentityContext.blocking(ctx, () -> identity.issuer().issue(owner.id()))
        .compose(issued -> identity.database().write(c -> {
          CertificateStore.insert(c, certificateId, owner.id(), issued, deviceType, remark, identity.now());
          identity.audit().append(c, AuditEvent.success(actor.user().id(), "certificate.issued",
              "certificate:" + certificateId, new JsonObject().put("user", owner.id()).put("serial", issued.serial())));
          return issued;
        }))
        .compose(issued -> identity.mail(ctx.vertx(), List.of(MailTemplates.certificate(owner.email(),
            identity.network(), identity.webBaseUrl(), issued))).map(sent -> new Issue(certificateId, sent, issued)));
  }

  JsonObject listJson(List<DeviceCertificate> list) {
    JsonArray out = new JsonArray();
    list.forEach(d -> out.add(d.toJson(identity.now())));
    return new JsonObject().put("certificates", out);
  }

  static CodedException notFound() {
    return CodedException.notFound("certificate.not_found", "電子証明書が見つかりません。");
  }

  private static CodedException retrievalFailed() {
    return CodedException.invalid("certificate.retrieval_failed", RETRIEVAL_FAILED);
  }
}
