package jp.tsunagu.node.family;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.web.JsonBodies;
import jp.tsunagu.node.web.RouteSet;

/**
 * The family's passkeys: registered from a logged-in session, then a login of their own (see
 * {@link FamilyPasskeys} for why a passkey needs no password beside it). Each challenge is handed out
 * once and kept hashed for a few minutes. Every registration, removal, login and refusal is audited
 * against the patient; the team sees a registration on the timeline, a passkey login as any family
 * login (the day's first one is a notice), and each account's passkeys in its list.
 */
final class PasskeyRoutes implements RouteSet {

  private final FamilyContext family;
  private final FamilyPasskeys passkeys;
  private final PasskeyDoor door;

  PasskeyRoutes(FamilyContext family) {
    this.family = family;
    this.passkeys = new FamilyPasskeys(family);
    this.door = new PasskeyDoor(family.services().clock());
  }

  @Override
  public void mountApi(Router api) {
    api.post("/family/auth/passkey/options").handler(AccessGuard::csrf).handler(this::loginOptions);
    api.post("/family/auth/passkey").handler(AccessGuard::csrf).handler(this::login);
    api.get("/family/passkeys").handler(FamilySessions::requireCaller).handler(this::list);
    api.post("/family/passkeys/options").handler(FamilySessions::requireCaller).handler(this::registrationOptions);
    api.post("/family/passkeys").handler(FamilySessions::requireCaller).handler(this::register);
    api.delete("/family/passkeys/:passkeyId").handler(FamilySessions::requireCaller).handler(this::remove);
  }

  /**
   * A login challenge for anyone, within {@link PasskeyDoor}'s bounds. Refusals by the rate are audited
   * once per address and minute (a flood must not become a flood of audit writes); refusals by a bound
   * of outstanding challenges each time (the rate already bounds how often).
   */
  private void loginOptions(RoutingContext ctx) {
    String address = PasskeyDoor.address(ctx);
    int calls = door.counted(address);
    if (calls > PasskeyDoor.PER_MINUTE) {
      (calls == PasskeyDoor.PER_MINUTE + 1 ? doorRefused(PasskeyDoor.Bound.RATE, address)
          : Future.<JsonObject>failedFuture(FamilyErrors.passkeyRateLimited())).onFailure(ctx::fail);
      return;
    }
    passkeys.webauthn(ctx.vertx()).getCredentialsOptions(null)
        .compose(options -> {
          Instant now = family.now();
          String hash = Secrets.sha256(options.getString("challenge"));
          return family.services().database().writeAside(c -> PasskeyDoor.store(c, hash, address, now))
              .compose(refused -> refused.isEmpty() ? Future.succeededFuture(options)
                  : doorRefused(refused.get(), address));
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private Future<JsonObject> doorRefused(PasskeyDoor.Bound bound, String address) {
    return family.audit().record(AuditEvent.refused("anonymous", "family.passkey.options", "family",
            new JsonObject().put("reason", "family.passkey_rate_limited").put("bound", bound.name().toLowerCase())
                .put("address", address)))
        .transform(ignored -> Future.failedFuture(FamilyErrors.passkeyRateLimited()));
  }

  /**
   * A registration challenge for the session's account, within {@link PasskeyDoor}'s per-account bounds;
   * a refusal stores nothing and is audited once per account and minute.
   */
  private void registrationOptions(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    if (!door.registrationAllowed(account.id())) {
      registrationRefused(account, PasskeyDoor.Bound.RATE).onFailure(ctx::fail);
      return;
    }
    passkeys.webauthn(ctx.vertx()).createCredentialsOptions(new JsonObject().put("name", account.loginId())
            .put("displayName", account.relation() + "・" + account.displayName()))
        .compose(options -> {
          Instant now = family.now();
          String hash = Secrets.sha256(options.getString("challenge"));
          return family.services().database()
              .writeAside(c -> PasskeyDoor.storeRegistration(c, hash, account.id(), now))
              .compose(refused -> refused.isEmpty() ? Future.succeededFuture(options)
                  : registrationRefused(account, refused.get()));
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private Future<JsonObject> registrationRefused(FamilyAccount account, PasskeyDoor.Bound bound) {
    if (!door.firstRefusalThisMinute(account.id())) {
      return Future.failedFuture(FamilyErrors.passkeyRateLimited());
    }
    return family.audit().record(AuditEvent.refused(FamilyContext.actor(account.id()),
            "family.passkey.register_options", FamilyContext.patientTarget(account.patientId()),
            new JsonObject().put("reason", "family.passkey_rate_limited").put("bound", bound.name().toLowerCase())))
        .transform(ignored -> Future.failedFuture(FamilyErrors.passkeyRateLimited()));
  }

  private void register(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String actor = FamilyContext.actor(account.id());
    String target = FamilyContext.patientTarget(account.patientId());
    JsonObject credential = credential(ctx);
    Optional<String> challenge = FamilyPasskeys.challengeOf(credential);
    Instant now = family.now();
    family.services().database().writeAside(c -> challenge.isPresent() && PasskeySql.consumeChallenge(c,
            Secrets.sha256(challenge.get()), "register", account.id(), now.toString()))
        .compose(fresh -> fresh ? passkeys.verify(ctx.vertx(), credential, challenge.get(), account.loginId())
            : Future.failedFuture(FamilyErrors.passkeyInvalid()))
        .recover(e -> family.refused(actor, "family.passkey.register", target, coded(e)))
        .compose(stored -> family.services().database().write(c -> {
          family.audit().append(c, AuditEvent.success(actor, "family.passkey.register", target,
              new JsonObject().put("credentialId", stored.getString("credID"))));
          Optional<String> notice = family.notices().activeMember(c, account.patientId(), account.invitedBy())
              ? family.notices().post(c, account.patientId(), account.invitedBy(), "【ここのーと】" + account.relation()
                  + "・" + account.displayName() + " さんがパスキー（スマートフォンの生体認証などでのログイン）を登録しました")
              : Optional.empty();
          return new Registered(PasskeySql.byCredential(c, stored.getString("credID")).orElseThrow(), notice);
        }))
        .onSuccess(registered -> {
          registered.notice().ifPresent(post -> family.notices().committed(ctx.vertx(), account.patientId(), post));
          ctx.response().setStatusCode(201);
          ctx.json(view(registered.passkey()));
        }).onFailure(ctx::fail);
  }

  private record Registered(PasskeySql.Passkey passkey, Optional<String> notice) {}

  /** A session for the account whose passkey signed, or the refusal (audited, nothing else changed). */
  private void login(RoutingContext ctx) {
    JsonObject credential = credential(ctx);
    Optional<String> challenge = FamilyPasskeys.challengeOf(credential);
    Instant now = family.now();
    family.services().database().writeAside(c -> {
      if (challenge.isEmpty() || !PasskeySql.consumeChallenge(c, Secrets.sha256(challenge.get()), "login", null,
          now.toString())) {
        return Step.refused(FamilyErrors.passkeyInvalid());
      }
      Optional<PasskeySql.Passkey> key = PasskeySql.byCredential(c, credential.getString("id"));
      if (key.isEmpty()) {
        return Step.refused(FamilyErrors.passkeyUnknown());
      }
      FamilyAccount account = FamilySql.byId(c, key.get().accountId()).orElseThrow();
      if (!"active".equals(account.status())) {
        return new Step(FamilyErrors.loginFailed(), account);
      }
      if (account.lockedUntil().map(until -> now.isBefore(Instant.parse(until))).orElse(false)) {
        return new Step(FamilyErrors.locked(), account);
      }
      return new Step(null, account);
    }).compose(step -> step.problem() == null ? passkeys.verify(ctx.vertx(), credential, challenge.get(), null)
            .map(step.account()).recover(e -> failed(step.account(), coded(e), now))
        : refused(step.account(), step.problem()))
        .compose(account -> sessionFor(account, now))
        .onSuccess(session -> {
          session.notice().ifPresent(post -> family.notices().committed(ctx.vertx(), session.patientId(), post));
          ctx.response().addCookie(FamilySessions.cookie(session.id()));
          ctx.json(new JsonObject().put("csrfToken", session.csrf()));
        }).onFailure(ctx::fail);
  }

  private record Step(CodedException problem, FamilyAccount account) {
    static Step refused(CodedException problem) {
      return new Step(problem, null);
    }
  }

  private record Session(String id, String csrf, String patientId, Optional<String> notice) {}

  private <T> Future<T> refused(FamilyAccount account, CodedException problem) {
    return account == null ? family.refused("anonymous", "family.login", "family", problem)
        : family.refused(FamilyContext.actor(account.id()), "family.login",
            FamilyContext.patientTarget(account.patientId()), problem);
  }

  /**
   * A known passkey whose answer did not verify counts toward the account's lock like a wrong password:
   * whoever holds a copy of the credential id cannot try signatures without end.
   */
  private <T> Future<T> failed(FamilyAccount account, CodedException problem, Instant now) {
    return family.services().database().write(c -> {
      FamilyAccount fresh = FamilySql.byId(c, account.id()).orElseThrow();
      boolean locked = family.loginFailed(c, fresh, now);
      family.audit().append(c, AuditEvent.refused(FamilyContext.actor(account.id()), "family.login",
          FamilyContext.patientTarget(account.patientId()), new JsonObject().put("reason", problem.code())
              .put("method", "passkey").put("locked", locked)));
      return null;
    }).transform(ignored -> Future.failedFuture(problem));
  }

  private Future<Session> sessionFor(FamilyAccount account, Instant now) {
    String sessionId = Secrets.token();
    String csrf = Secrets.token();
    return family.services().database().write(c -> {
      PasskeySql.loginSucceeded(c, account.id(), now.toString());
      FamilySql.insertSession(c, Secrets.sha256(sessionId), account.id(), csrf, now.toString());
      family.audit().append(c, AuditEvent.success(FamilyContext.actor(account.id()), "family.login",
          FamilyContext.patientTarget(account.patientId()), new JsonObject().put("method", "passkey")));
      return new Session(sessionId, csrf, account.patientId(),
          FamilyAuthRoutes.firstOfTheDay(family, c, account, now));
    });
  }

  private void list(RoutingContext ctx) {
    String accountId = FamilySessions.caller(ctx).account().id();
    family.services().database().read(c -> PasskeySql.ofAccount(c, accountId))
        .onSuccess(list -> ctx.json(new JsonObject().put("passkeys",
            new JsonArray(list.stream().map(PasskeyRoutes::view).toList()))))
        .onFailure(ctx::fail);
  }

  private void remove(RoutingContext ctx) {
    FamilyAccount account = FamilySessions.caller(ctx).account();
    String id = ctx.pathParam("passkeyId");
    family.services().database().write(c -> {
      boolean removed = PasskeySql.remove(c, id, account.id());
      if (removed) {
        family.audit().append(c, AuditEvent.success(FamilyContext.actor(account.id()), "family.passkey.remove",
            FamilyContext.patientTarget(account.patientId()), new JsonObject().put("passkeyId", id)));
      }
      return removed;
    }).compose(removed -> removed ? Future.<Void>succeededFuture() : family.<Void>refused(
            FamilyContext.actor(account.id()), "family.passkey.remove", FamilyContext.patientTarget(account.patientId()),
            FamilyErrors.notFound()))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private static JsonObject credential(RoutingContext ctx) {
    JsonObject body = JsonBodies.required(ctx);
    return body.getValue("credential") instanceof JsonObject credential ? credential : new JsonObject();
  }

  private static CodedException coded(Throwable e) {
    return e instanceof CodedException coded ? coded : FamilyErrors.passkeyInvalid();
  }

  private static JsonObject view(PasskeySql.Passkey p) {
    return new JsonObject().put("id", p.id()).put("createdAt", p.createdAt()).put("lastUsedAt", p.lastUsedAt().orElse(null));
  }
}
