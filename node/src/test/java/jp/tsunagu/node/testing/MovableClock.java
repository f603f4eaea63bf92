package jp.tsunagu.node.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's clock that a test moves on by hand, to reach a time (a meeting's start) without waiting for
 * it. It runs with the real time, ahead of it by what the test moved it on, and never goes back, so
 * sessions, idempotency keys and audit times keep their order.
 */
public final class MovableClock extends Clock {

  private final AtomicReference<Duration> ahead;
  private final ZoneId zone;

  public MovableClock() {
    this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
  }

  private MovableClock(AtomicReference<Duration> ahead, ZoneId zone) {
    this.ahead = ahead;
    this.zone = zone;
  }

  /** Moves the clock on by {@code by}. */
  public void advance(Duration by) {
    ahead.updateAndGet(d -> d.plus(by));
  }

  /** Moves the clock on to {@code at} if that is later (never back). */
  public void moveTo(Instant at) {
    Duration by = Duration.between(instant(), at);
    if (!by.isNegative()) {
      advance(by);
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time seen in another zone (features read local dates through it). */
  @Override
  public Clock withZone(ZoneId other) {
    return new MovableClock(ahead, other);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead.get());
  }
}
