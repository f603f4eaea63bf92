package jp.tsunagu.node.web;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls per key (a gateway, a client address) per clock minute, against an allowance. In memory and
 * shared by the listener's event loops: a restart forgets a minute's count, which costs at most one
 * minute's allowance. Windows of past minutes are dropped when a new minute begins, so keys a caller
 * makes up (addresses, ids) cannot grow the map for ever.
 */
public final class RateWindow {

  private record Window(long minute, int count) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private volatile long sweptMinute;

  public RateWindow(Clock clock) {
    this.clock = clock;
  }

  /** @return whether one more call of this key is within its allowance (and counts it either way) */
  public boolean allow(String key, int perMinute) {
    return count(key) <= perMinute;
  }

  /**
   * Counts one more call of this key in the current minute.
   *
   * @return the key's calls in this minute, this one included (so {@code perMinute + 1} is the first over)
   */
  public int count(String key) {
    long minute = clock.millis() / 60_000;
    if (minute != sweptMinute) {
      sweptMinute = minute;
      windows.values().removeIf(window -> window.minute() != minute);
    }
    return windows.compute(key, (id, window) -> window == null || window.minute() != minute
        ? new Window(minute, 1) : new Window(minute, window.count() + 1)).count();
  }
}
