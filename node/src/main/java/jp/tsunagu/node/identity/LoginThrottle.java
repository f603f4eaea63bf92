package jp.tsunagu.node.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows and then stops password guessing per login id: each failure adds delay to the answer, and
 * {@value #LOCK_AFTER} failures in a row lock the id for {@link #LOCK_FOR}. Known and unknown ids
 * are treated alike, so neither the delay nor the lock tells whether an id exists.
 */
final class LoginThrottle {

  static final int LOCK_AFTER = 5;
  static final Duration LOCK_FOR = Duration.ofMinutes(15);
  private static final long STEP_MILLIS = 250;
  private static final long MAX_DELAY_MILLIS = 4_000;
  private static final int MAX_TRACKED = 50_000;

  private record Failures(int count, Instant lockedUntil, Instant last) {}

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  boolean locked(String loginId) {
    Failures f = failures.get(key(loginId));
    return f != null && f.lockedUntil() != null && Instant.now(clock).isBefore(f.lockedUntil());
  }

  /** Records a failure; returns how long to wait before answering. */
  long fail(String loginId) {
    Instant now = Instant.now(clock);
    if (failures.size() > MAX_TRACKED) {
      // Forget stale entries so a flood of made-up ids cannot exhaust memory.
      failures.entrySet().removeIf(e -> e.getValue().last().isBefore(now.minus(LOCK_FOR)));
    }
    Failures updated = failures.compute(key(loginId), (k, f) -> {
      int count = (f == null || (f.lockedUntil() != null && now.isAfter(f.lockedUntil()))) ? 1 : f.count() + 1;
      return new Failures(count, count >= LOCK_AFTER ? now.plus(LOCK_FOR) : null, now);
    });
    return Math.min(MAX_DELAY_MILLIS, STEP_MILLIS * updated.count());
  }

  void succeed(String loginId) {
    failures.remove(key(loginId));
  }

  private static String key(String loginId) {
    return loginId.toLowerCase(Locale.ROOT);
  }
}
