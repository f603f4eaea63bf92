package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Passwords;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The family's own door, apart from the professionals' login: the one-time code from the team
 * activates the account (a password of the family's choosing and a TOTP secret for their
 * authenticator app), then each login takes the login id, the password and a current code. A code
 * whose time step was already used is refused (no replay within the window); failed logins lock the
 * account for a while. Every login, failure and activation is audited against the patient.
 */
final class FamilyAuthRoutes implements RouteSet {

  static final int MIN_PASSWORD = 10;

  private final FamilyContext family;

  FamilyAuthRoutes(FamilyContext family) {
    this.family = family;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/family/auth/activation").handler(AccessGuard::csrf).handler(this::activate);
    api.post("/family/auth/login").handler(AccessGuard::csrf).handler(this::login);
    api.post("/family/auth/logout").handler(FamilySessions::requireCaller).handler(this::logout);
  }

  private void activate(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    String code = body.getValue("code") instanceof String s ? s.strip() : "";
    String password = body.getValue("password") instanceof String s ? s : "";
    if (password.length() < MIN_PASSWORD) {
      ctx.fail(FamilyErrors.passwordTooShort());
      return;
    }
    Instant now = family.now();
    String secret = Totp.newSecret();
    String hash = Passwords.hash(password);
    family.services().database().write(c -> {
      Optional<FamilyAccount> account = FamilySql.byActivation(c, Secrets.sha256(code), now.toString());
      if (account.isPresent()) {
        FamilySql.activate(c, account.get().id(), hash, secret);
        family.audit().append(c, AuditEvent.success(FamilyContext.actor(account.get().id()), "family.activated",
            FamilyContext.patientTarget(account.get().patientId()), null));
      }
      return account;
    }).compose(account -> account.isPresent() ? Future.succeededFuture(account.get())
        : family.<FamilyAccount>refused("anonymous", "family.activation", "family", FamilyErrors.activationInvalid()))
        .onSuccess(account -> ctx.json(new JsonObject().put("loginId", account.loginId()).put("totpSecret", secret)
            .put("totpUri", Totp.uri(secret, account.loginId()))))
        .onFailure(ctx::fail);
  }

  /** How a login ended: refused with a code, or a session (and, on the day's first login, the team's notice). */
  private record Outcome(jp.tsunagu.node.errors.CodedException problem, String patientId, Optional<String> notice) {
    static Outcome refused(jp.tsunagu.node.errors.CodedException problem) {
      return new Outcome(problem, null, Optional.empty());
    }
  }

  private void login(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    String loginId = body.getValue("loginId") instanceof String s ? s.strip() : "";
    String password = body.getValue("password") instanceof String s ? s : "";
    String code = body.getValue("code") instanceof String s ? s.strip() : "";
    Instant now = family.now();
    String sessionId = Secrets.token();
    String csrf = Secrets.token();
    family.services().database().write(c -> {
      Optional<FamilyAccount> found = FamilySql.byLoginId(c, loginId);
      if (found.isEmpty() || !"active".equals(found.get().status()) || found.get().passwordHash().isEmpty()) {
        Passwords.verifyDummy(password);
        family.audit().append(c, AuditEvent.refused("anonymous", "family.login", "family",
            new JsonObject().put("reason", "family.login_failed")));
        return Outcome.refused(FamilyErrors.loginFailed());
      }
      FamilyAccount account = found.get();
      String target = FamilyContext.patientTarget(account.patientId());
      String actor = FamilyContext.actor(account.id());
      if (account.lockedUntil().map(until -> now.isBefore(Instant.parse(until))).orElse(false)) {
        family.audit().append(c, AuditEvent.refused(actor, "family.login", target,
            new JsonObject().put("reason", "family.locked")));
        return Outcome.refused(FamilyErrors.locked());
      }
      boolean passwordOk = Passwords.verify(password, account.passwordHash().get());
      OptionalLong step = Totp.matchingStep(account.totpSecret().orElse(""), code, now);
      jp.tsunagu.node.errors.CodedException problem = !passwordOk || step.isEmpty() ? FamilyErrors.loginFailed()
          : step.getAsLong() <= account.totpLastStep() ? FamilyErrors.codeReused() : null;
      if (problem != null) {
        boolean locked = family.loginFailed(c, account, now);
        family.audit().append(c, AuditEvent.refused(actor, "family.login", target,
            new JsonObject().put("reason", problem.code()).put("locked", locked)));
        return Outcome.refused(problem);
      }
      FamilySql.loginSucceeded(c, account.id(), step.getAsLong(), now.toString());
      FamilySql.insertSession(c, Secrets.sha256(sessionId), account.id(), csrf, now.toString());
      family.audit().append(c, AuditEvent.success(actor, "family.login", target, null));
      return new Outcome(null, account.patientId(), firstOfTheDay(family, c, account, now));
    }).onSuccess(outcome -> {
      if (outcome.problem() != null) {
        ctx.fail(outcome.problem());
        return;
      }
      outcome.notice().ifPresent(post -> family.notices().committed(ctx.vertx(), outcome.patientId(), post));
      ctx.response().addCookie(FamilySessions.cookie(sessionId));
      ctx.json(new JsonObject().put("csrfToken", csrf));
    }).onFailure(ctx::fail);
  }

  /**
   * The team sees the door was used: the day's first login of a family account is a notice on the
   * patient's timeline (in the inviting member's name, while she is in the team).
   */
  static Optional<String> firstOfTheDay(FamilyContext family, java.sql.Connection c, FamilyAccount account, Instant now)
      throws java.sql.SQLException {
    java.time.LocalDate today = java.time.LocalDate.ofInstant(now, FamilyContext.JAPAN);
    boolean first = account.lastLoginAt().map(at -> !java.time.LocalDate.ofInstant(Instant.parse(at),
        FamilyContext.JAPAN).equals(today)).orElse(true);
    if (!first || !family.notices().activeMember(c, account.patientId(), account.invitedBy())) {
      return Optional.empty();
    }
    return family.notices().post(c, account.patientId(), account.invitedBy(), "【ここのーと】" + account.relation()
        + "・" + account.displayName() + " さんがログインしました（" + today.getMonthValue() + "月" + today.getDayOfMonth()
        + "日）");
  }

  private void logout(RoutingContext ctx) {
    FamilySessions.Caller caller = FamilySessions.caller(ctx);
    family.services().database().write(c -> {
      FamilySql.deleteSession(c, caller.sessionHash());
      family.audit().append(c, AuditEvent.success(FamilyContext.actor(caller.account().id()), "family.logout",
          FamilyContext.patientTarget(caller.account().patientId()), null));
      return null;
    }).onSuccess(v -> {
      ctx.response().addCookie(FamilySessions.cookie("").setMaxAge(0));
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }
}
