package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.FieldProblems;
import jp.tsunagu.node.web.RouteSet;

/**
 * Login, logout, "who am I", the CSRF token and password change. Login needs the user's own
 * valid, unrevoked device certificate on the connection plus login id and password; a demo node
 * also accepts password-only login from loopback clients.
 */
final class AuthRoutes implements RouteSet {

  private static final String FAILED = "ログインIDまたはパスワードが正しくありません。";

  /** The facts gathered for one login attempt. */
  private record Attempt(String loginId, String password, Optional<X509Certificate> certificate) {}

  private record Checked(Optional<User> user, boolean passwordOk, Optional<DeviceCertificate> certificate) {}

  private final IdentityContext identity;

  AuthRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/auth/csrf").handler(this::csrfToken);
    api.post("/auth/login").handler(AccessGuard::csrf).handler(this::login);
    api.post("/auth/logout").handler(AccessGuard.roles()).handler(AccessGuard::csrf).handler(this::logout);
    api.get("/auth/me").handler(AccessGuard.roles()).handler(this::me);
    api.post("/account/password").handler(AccessGuard.roles()).handler(AccessGuard::csrf).handler(this::changePassword);
  }

  private void csrfToken(RoutingContext ctx) {
    String token = Principal.of(ctx).map(p -> p.session().csrfToken())
        .orElseGet(() -> SessionCookies.csrf(ctx).filter(t -> t.length() == 43).orElseGet(Secrets::token));
    SessionCookies.setCsrf(ctx, token);
    ctx.json(new JsonObject().put("csrfToken", token));
  }

  private void login(RoutingContext ctx) {
    Fields fields = Fields.of(ctx);
    Attempt attempt = new Attempt(fields.text("loginId", "ログインID", 64), fields.password("password"),
        ClientCertificates.of(ctx));
    CodedException certificateProblem = certificateProblem(ctx, attempt);
    if (certificateProblem != null) {
      refuse(ctx, attempt, certificateProblem.code(), false, certificateProblem);
      return;
    }
    Instant now = identity.now();
    identity.database().read(c -> {
      if (LoginThrottle.locked(c, attempt.loginId(), now)) {
        return Optional.<Checked>empty();
      }
      Optional<User> user = UserStore.byLoginId(c, attempt.loginId());
      Optional<DeviceCertificate> certificate = attempt.certificate().isPresent()
          ? CertificateStore.byFingerprint(c, ClientCertificates.fingerprint(attempt.certificate().get()))
          : Optional.empty();
      return Optional.of(new Checked(user, false, certificate));
    }).onSuccess(found -> {
      if (found.isEmpty()) {
        refuse(ctx, attempt, "auth.locked", false, CodedException.rateLimited("auth.locked",
            "ログインに続けて失敗したため、しばらくの間ログインできません。時間をおいてお試しください。"));
        return;
      }
      IdentityContext.blocking(ctx, () -> checkPassword(attempt, found.get()))
          .onSuccess(checked -> decide(ctx, attempt, checked)).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  /** Argon2id, also for an unknown id, so the answer takes as long either way. */
  private static Checked checkPassword(Attempt attempt, Checked found) {
    if (found.user().isEmpty()) {
      Passwords.verifyDummy(attempt.password());
      return found;
    }
    return new Checked(found.user(), Passwords.verify(attempt.password(), found.user().get().passwordHash()),
        found.certificate());
  }

  /** The certificate step, before any password is checked. */
  private CodedException certificateProblem(RoutingContext ctx, Attempt attempt) {
    if (attempt.certificate().isEmpty()) {
      boolean demoLoopback = identity.services().config().demo() && ClientCertificates.fromLoopback(ctx);
      return demoLoopback ? null : CodedException.unauthenticated("auth.certificate_required",
          "この端末に電子証明書がインストールされていません。施設管理者にお問い合わせください。");
    }
    Instant now = identity.now();
    X509Certificate certificate = attempt.certificate().get();
    if (now.isAfter(certificate.getNotAfter().toInstant()) || now.isBefore(certificate.getNotBefore().toInstant())) {
      return CodedException.unauthenticated("auth.certificate_expired",
          "電子証明書の有効期限が切れています。新しい証明書の発行を施設管理者に依頼してください。");
    }
    return null;
  }

  private void decide(RoutingContext ctx, Attempt attempt, Checked checked) {
    if (checked.user().isEmpty() || !checked.passwordOk()) {
      refuse(ctx, attempt, "auth.login_failed", true, CodedException.unauthenticated("auth.login_failed", FAILED));
      return;
    }
    User user = checked.user().get();
    if (attempt.certificate().isPresent()) {
      Optional<DeviceCertificate> certificate = checked.certificate();
      if (certificate.isEmpty() || certificate.get().revoked()) {
        refuse(ctx, attempt, "auth.certificate_revoked", false,
            CodedException.unauthenticated("auth.certificate_revoked", "この電子証明書は失効しています。"));
        return;
      }
      if (!certificate.get().userId().equals(user.id())) {
        refuse(ctx, attempt, "auth.certificate_not_yours", true, CodedException.unauthenticated(
            "auth.certificate_not_yours", "この端末の電子証明書は、入力したログインIDの利用者のものではありません。"));
        return;
      }
    }
    if (!user.active()) {
      refuse(ctx, attempt, "auth.account_disabled", false,
          CodedException.unauthenticated("auth.account_disabled", "このアカウントは利用停止中です。施設管理者にお問い合わせください。"));
      return;
    }
    startSession(ctx, user, checked.certificate().map(DeviceCertificate::id));
  }

  private void startSession(RoutingContext ctx, User user, Optional<String> certificateId) {
    String sessionId = Secrets.token();
    Instant now = identity.now();
    Session session = new Session(Secrets.sha256(sessionId), user.id(), certificateId, Secrets.token(), now, now);
    Optional<String> previous = SessionCookies.session(ctx).map(Secrets::sha256);
    identity.database().write(c -> {
      // A new id at every login: a session id planted before login is never promoted.
      if (previous.isPresent()) {
        SessionStore.delete(c, previous.get());
      }
      SessionStore.insert(c, session);
      LoginThrottle.succeed(c, user.loginId());
      identity.audit().append(c, AuditEvent.success(user.id(), "login.succeeded", "user:" + user.id(),
          new JsonObject().put("loginId", user.loginId()).put("certificate", certificateId.orElse("none (demo)"))));
      return null;
    }).onSuccess(v -> {
      SessionCookies.setSession(ctx, sessionId);
      SessionCookies.setCsrf(ctx, session.csrfToken());
      ctx.json(new JsonObject().put("user", user.toJson()).put("csrfToken", session.csrfToken()));
    }).onFailure(ctx::fail);
  }

  /**
   * Audits a refused login and answers with the error; a failure that counts towards the lock
   * is recorded in the same write, and the answer waits for the delay it earned.
   */
  private void refuse(RoutingContext ctx, Attempt attempt, String reason, boolean countFailure, CodedException error) {
    JsonObject detail = new JsonObject().put("loginId", attempt.loginId()).put("reason", reason)
        .put("remote", ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().host());
    Instant now = identity.now();
    identity.database().write(c -> {
      long delay = countFailure ? LoginThrottle.fail(c, attempt.loginId(), now) : 0;
      identity.audit().append(c, AuditEvent.refused("anonymous", "login.failed", "login:" + attempt.loginId(),
          detail));
      return delay;
    }).onComplete(delay -> {
      if (delay.failed() || delay.result() <= 0) {
        ctx.fail(error);
      } else {
        ctx.vertx().setTimer(delay.result(), t -> ctx.fail(error));
      }
    });
  }

  private void logout(RoutingContext ctx) {
    Principal principal = Principal.required(ctx);
    identity.database().write(c -> {
      SessionStore.delete(c, principal.session().idHash());
      identity.audit().append(c, AuditEvent.success(principal.user().id(), "logout", "user:" + principal.user().id(),
          null));
      return null;
    }).onSuccess(v -> {
      SessionCookies.clearSession(ctx);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Principal principal = Principal.required(ctx);
    Optional<String> facilityId = principal.user().facilityId();
    identity.database().read(c -> facilityId.isPresent() ? UserStore.facilityName(c, facilityId.get())
        : Optional.<String>empty()).onSuccess(facility -> {
          JsonObject user = principal.user().toJson();
          facility.ifPresent(f -> user.put("facilityName", f.split("\\|")[0])
              .put("facilityStatus", f.split("\\|")[1]));
          ctx.json(new JsonObject().put("user", user).put("csrfToken", principal.session().csrfToken())
              .put("certificateLogin", principal.session().certificateId().isPresent()));
        }).onFailure(ctx::fail);
  }

  private void changePassword(RoutingContext ctx) {
    Principal principal = Principal.required(ctx);
    Fields fields = Fields.of(ctx);
    FieldProblems problems = new FieldProblems();
    String current = problems.check("currentPassword", () -> fields.password("currentPassword"));
    String next = problems.check("newPassword", () -> fields.newPassword("newPassword", principal.user().loginId()));
    problems.throwIfAny();
    IdentityContext.blocking(ctx, () -> Passwords.verify(current, principal.user().passwordHash())
        ? Optional.of(Passwords.hash(next)) : Optional.<String>empty()).compose(hash -> {
          if (hash.isEmpty()) {
            return Future.failedFuture(CodedException.invalid("auth.password_wrong",
                "現在のパスワードが正しくありません。"));
          }
          return identity.database().write(c -> {
            UserStore.setPasswordHash(c, principal.user().id(), hash.get());
            // Every session ends, this one too: whoever else knew the old password is out.
            SessionStore.deleteAllOf(c, principal.user().id());
            identity.audit().append(c, AuditEvent.success(principal.user().id(), "password.changed",
                "user:" + principal.user().id(), null));
            return null;
          });
        }).onSuccess(v -> {
          SessionCookies.clearSession(ctx);
          ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
  }
}
