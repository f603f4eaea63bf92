package jp.tsunagu.node.sensors;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each gateway's batches per clock minute, against its {@code rate_per_minute}. In memory and shared
 * by the listener's event loops: a restart forgets a minute's count, which costs at most one minute's
 * allowance. Counted only for batches whose signature verified, so that nobody but the gateway can
 * use up its allowance.
 */
final class IngestRate {

  private record Window(long minute, int count) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  IngestRate(Clock clock) {
    this.clock = clock;
  }

  /** @return whether one more batch of this gateway is within its allowance (and counts it if so) */
  boolean allow(String gatewayId, int perMinute) {
    long minute = clock.millis() / 60_000;
    Window after = windows.compute(gatewayId, (id, window) -> window == null || window.minute() != minute
        ? new Window(minute, 1) : new Window(minute, window.count() + 1));
    return after.count() <= perMinute;
  }
}
