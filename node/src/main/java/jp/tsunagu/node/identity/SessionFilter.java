package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.LeaderRelay;
import jp.tsunagu.node.web.idempotency.KeyScope;

/**
 * Runs before every route. First the certificate gate: a connection presenting a revoked device
 * certificate is refused outright. Then, for API calls carrying a session cookie, the session is
 * looked up and checked (idle and absolute lifetime, user still active, the same unrevoked,
 * unexpired certificate as at login); a good one becomes the request's {@link Principal}. A bad
 * one is only noted: public routes still answer, protected ones refuse with the noted code.
 */
final class SessionFilter {

  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  /** The kind under which a follower's touch travels to the leader ({@link LeaderRelay}). */
  private static final String TOUCH = "session.touch";

  /** Sessions kept in {@link #relayedTouches} before the old ones are dropped. */
  private static final int RELAYED_KEPT = 10_000;

  private final IdentityContext identity;
  /**
   * On a follower: when this instance last sent each session's touch, so that a session is touched at
   * most once a minute while its new time is on its way back by replication.
   */
  private final Map<String, Instant> relayedTouches = new ConcurrentHashMap<>();

  SessionFilter(IdentityContext identity) {
    this.identity = identity;
    identity.database().relayable(TOUCH, data -> c -> {
      SessionStore.touch(c, data.getString("session"), Instant.parse(data.getString("at")));
      return null;
    });
  }

  void gate(RoutingContext ctx) {
    Optional<String> presented = ClientCertificates.fingerprintOf(ctx);
    if (presented.isPresent() && identity.revoked().contains(presented.get())) {
      ctx.fail(CodedException.forbidden("auth.certificate_revoked", "この電子証明書は失効しています。"));
      return;
    }
    ctx.next();
  }

  void loadSession(RoutingContext ctx) {
    Optional<String> cookie = SessionCookies.session(ctx);
    if (cookie.isEmpty()) {
      anonymousKeyScope(ctx);
      ctx.next();
      return;
    }
    String idHash = Secrets.sha256(cookie.get());
    identity.database().read(c -> SessionStore.found(c, idHash)).onSuccess(found -> {
      // Not Optional.map: a good session has no problem, and map() would turn that null into empty.
      String problem = found.isPresent() ? problem(ctx, found.get()) : "auth.session_invalid";
      if (problem == null) {
        ctx.put(Principal.KEY, new Principal(found.get().user(), found.get().session()));
        KeyScope.user(ctx, found.get().user().id());
        touch(found.get().session());
      } else {
        anonymousKeyScope(ctx);
        ctx.put(Principal.PROBLEM_KEY, problem);
        if (!"auth.session_certificate_mismatch".equals(problem)) {
          // Expired or dead: remove it so a replayed copy of the cookie is worthless too.
          identity.database().write(c -> {
            SessionStore.delete(c, idHash);
            return null;
          });
          SessionCookies.clearSession(ctx);
        }
      }
      ctx.next();
    }).onFailure(ctx::fail);
  }

  /**
   * The Idempotency-Key scope of a caller without a good session (a public create such as 施設登録申請):
   * its browser, by the CSRF cookie every state-changing request must carry.
   */
  private static void anonymousKeyScope(RoutingContext ctx) {
    SessionCookies.csrf(ctx).ifPresent(token -> KeyScope.anonymousClient(ctx, Secrets.sha256(token)));
  }

  private String problem(RoutingContext ctx, SessionStore.Found found) {
    Instant now = identity.now();
    Session session = found.session();
    if (now.isAfter(session.lastSeenAt().plus(identity.services().config().session().idleTimeout()))
        || now.isAfter(session.createdAt().plus(identity.services().config().session().absoluteTimeout()))) {
      return "auth.session_expired";
    }
    if (!found.user().active()) {
      return "auth.session_invalid";
    }
    if (found.certificate().isEmpty()) {
      // Only a demo node makes password-only sessions, and only for loopback clients.
      return identity.services().config().demo() && ClientCertificates.fromLoopback(ctx) ? null
          : "auth.session_invalid";
    }
    DeviceCertificate certificate = found.certificate().get();
    if (certificate.revoked() || certificate.expiredAt(now)) {
      return "auth.session_invalid";
    }
    Optional<String> presented = ClientCertificates.fingerprintOf(ctx);
    if (presented.isEmpty() || !certificate.fingerprint().equals(presented.get())) {
      return "auth.session_certificate_mismatch";
    }
    return null;
  }

  /**
   * At most once a minute per session, and never waited for. On a follower of a clustered node the
   * touch goes to the leader as data (the row comes back by replication), at most once a minute per
   * session from this instance too; touches of one session still waiting to be sent are one.
   */
  private void touch(Session session) {
    Instant now = identity.now();
    if (session.lastSeenAt().plus(TOUCH_EVERY).isBefore(now)) {
      Optional<LeaderRelay> leader = identity.database().relay();
      if (leader.isPresent()) {
        Instant sent = relayedTouches.get(session.idHash());
        if (sent != null && sent.plus(TOUCH_EVERY).isAfter(now)) {
          return;
        }
        relayedTouches.put(session.idHash(), now);
        if (relayedTouches.size() > RELAYED_KEPT) {
          relayedTouches.values().removeIf(at -> at.plus(TOUCH_EVERY).isBefore(now));
        }
        leader.get().send(TOUCH, session.idHash(), new JsonObject().put("session", session.idHash())
            .put("at", now.toString()));
        return;
      }
      identity.database().write(c -> {
        SessionStore.touch(c, session.idHash(), now);
        return null;
      });
    }
  }
}
