package jp.tsunagu.node.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the disk itself allows a commit, measured in the same directory as the databases and in the same
 * round: the time of one 4 KiB write made durable, over a file kept at its size (as a WAL is written once
 * it wraps) and appended to a growing file (as a WAL is written until it wraps, and a database file as it
 * grows), each with {@code fdatasync} ({@code force(false)}: the data, and metadata only when the size
 * changed) and with {@code fsync} ({@code force(true)}: also the file's times). A commit under
 * {@code synchronous=FULL} costs at least one of these, so 32 writers, each waiting for its commit, can
 * be acknowledged at most 32 times per sync.
 *
 * @param overwriteDataSyncMicros 4 KiB overwritten, then {@code fdatasync}
 * @param appendDataSyncMicros    4 KiB appended, then {@code fdatasync}
 * @param overwriteSyncMicros     4 KiB overwritten, then {@code fsync}
 * @param appendSyncMicros        4 KiB appended, then {@code fsync}
 */
record DiskFloor(double overwriteDataSyncMicros, double appendDataSyncMicros, double overwriteSyncMicros,
    double appendSyncMicros) {

  private static final int BLOCK = 4096;
  /** Blocks of the kept file that the overwrites cycle through, as a WAL's first frames are. */
  private static final int KEPT_BLOCKS = 64;

  /** Measures {@code syncs} of each kind in {@code dir} (files made there and removed after). */
  static DiskFloor measure(Path dir, int syncs) throws IOException {
    return new DiskFloor(overwrite(dir, syncs, false), append(dir, syncs, false), overwrite(dir, syncs, true),
        append(dir, syncs, true));
  }

  /** Writes per second that 32 writers (each waiting for a sync) allow, at the cheaper, overwriting sync. */
  double writesPerSecondBound(int writers) {
    return writers * 1e6 / Math.min(overwriteDataSyncMicros, overwriteSyncMicros);
  }

  private static double overwrite(Path dir, int syncs, boolean metadata) throws IOException {
    Path file = Files.createTempFile(dir, "disk-floor-kept-", ".bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
      for (int i = 0; i < KEPT_BLOCKS; i++) {
        block.clear();
        channel.write(block, (long) i * BLOCK);
      }
      channel.force(true);
      long started = System.nanoTime();
      for (int i = 0; i < syncs; i++) {
        block.clear();
        block.putInt(0, i);
        channel.write(block, (long) (i % KEPT_BLOCKS) * BLOCK);
        channel.force(metadata);
      }
      return (System.nanoTime() - started) / 1e3 / syncs;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double append(Path dir, int syncs, boolean metadata) throws IOException {
    Path file = Files.createTempFile(dir, "disk-floor-grown-", ".bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
      channel.force(true);
      long started = System.nanoTime();
      for (int i = 0; i < syncs; i++) {
        block.clear();
        block.putInt(0, i);
        channel.write(block, (long) i * BLOCK);
        channel.force(metadata);
      }
      return (System.nanoTime() - started) / 1e3 / syncs;
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
