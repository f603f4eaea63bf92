package jp.tsunagu.node.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stamped copies of materials kept for a short time, so a reviewer who opens the same PDF again (a
 * phone reloading the viewer, the download after the view) is not made to wait for every page to be
 * rendered anew. A copy is keyed by the reader, the material and the stamp's text: the stamp names the
 * minute, so a kept copy is exactly what stamping now would give, and the next minute misses it.
 * Memory is bounded (least recently used copies go first); a withdrawn or deleted material's copies are
 * dropped at once. Only the stamping is skipped: the access check and the audit run for every opening.
 * Each instance of a clustered node keeps its own copies; the access check reads the database first, so
 * an instance never serves a copy of a material withdrawn on another.
 */
final class StampedCopies {

  /** What one stamped copy is kept under. */
  record Key(String reader, String material, String stamp) {}

  private record Copy(byte[] bytes, Instant until) {}

  /** The default budget: some thirty stamped copies of the 2 MB materials the issue measures. */
  static final long DEFAULT_BYTES = 64L * 1024 * 1024;
  static final Duration DEFAULT_KEEP = Duration.ofMinutes(1);

  private final long maxBytes;
  private final Duration keep;
  private final LinkedHashMap<Key, Copy> copies = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  StampedCopies(long maxBytes, Duration keep) {
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  synchronized Optional<byte[]> get(Key key, Instant now) {
    Copy copy = copies.get(key);
    if (copy == null) {
      return Optional.empty();
    }
    if (!copy.until().isAfter(now)) {
      remove(key);
      return Optional.empty();
    }
    return Optional.of(copy.bytes());
  }

  /** Keeps a copy; one larger than the whole budget is not kept at all. */
  synchronized void put(Key key, byte[] stamped, Instant now) {
    if (stamped.length > maxBytes) {
      return;
    }
    remove(key);
    dropExpired(now);
    copies.put(key, new Copy(stamped, now.plus(keep)));
    bytes += stamped.length;
    Iterator<Map.Entry<Key, Copy>> eldest = copies.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes().length;
      eldest.remove();
    }
  }

  /** A material withdrawn or deleted: no copy of it stays in memory. */
  synchronized void dropMaterial(String materialId) {
    // By the entries, not get(): in an access-ordered map a get() during the walk changes the order.
    copies.entrySet().removeIf(e -> {
      boolean drop = e.getKey().material().equals(materialId);
      if (drop) {
        bytes -= e.getValue().bytes().length;
      }
      return drop;
    });
  }

  synchronized int size() {
    return copies.size();
  }

  synchronized long bytes() {
    return bytes;
  }

  private void dropExpired(Instant now) {
    Iterator<Map.Entry<Key, Copy>> it = copies.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Copy> e = it.next();
      if (!e.getValue().until().isAfter(now)) {
        bytes -= e.getValue().bytes().length;
        it.remove();
      }
    }
  }

  private void remove(Key key) {
    Copy gone = copies.remove(key);
    if (gone != null) {
      bytes -= gone.bytes().length;
    }
  }
}
