package jp.tsunagu.node.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bytes and system calls written by this process's threads, grouped by the name Linux keeps for each (its
 * first 15 characters: the writer and the readers are one group, "tsunagu-sqlite-", and the readers do not
 * write), from {@code /proc/self/task/<id>/io}: a count of the writer's work that a busy machine does not
 * change, e.g. how much of the WAL a checkpoint copied on the writer's thread. Empty where there is no /proc.
 */
record ThreadIo(Map<String, long[]> byName) {

  /** wchar (bytes handed to write calls) and syscw (write calls) by thread name, now. */
  static ThreadIo now() {
    Map<String, long[]> byName = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          long[] counts = byName.computeIfAbsent(name, n -> new long[2]);
          for (String line : Files.readAllLines(task.resolve("io"))) {
            if (line.startsWith("wchar:")) {
              counts[0] += Long.parseLong(line.substring(6).strip());
            } else if (line.startsWith("syscw:")) {
              counts[1] += Long.parseLong(line.substring(6).strip());
            }
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return new ThreadIo(Map.of());
    }
    return new ThreadIo(byName);
  }

  /** What the named groups wrote since {@code before}: "name KiB/s, calls/s" for each. */
  String since(ThreadIo before, List<String> names, int seconds) {
    Map<String, String> out = new TreeMap<>();
    for (String name : names) {
      long[] now = byName.getOrDefault(name, new long[2]);
      long[] then = before.byName.getOrDefault(name, new long[2]);
      out.put(name, String.format(Locale.ROOT, "%.1f KiB/s in %.1f write calls/s", (now[0] - then[0]) / 1024.0 / seconds,
          (now[1] - then[1]) / (double) seconds));
    }
    return out.toString();
  }

  /** Bytes the named group wrote since {@code before}. */
  long bytesSince(ThreadIo before, String name) {
    return byName.getOrDefault(name, new long[2])[0] - before.byName.getOrDefault(name, new long[2])[0];
  }
}
