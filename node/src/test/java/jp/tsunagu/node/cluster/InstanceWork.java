package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an instance running in a JVM of its own has done up to now, read from outside it: the CPU
 * time of its threads by group (from {@code /proc}, names with their numbers taken out; Linux cuts a
 * thread's name to 15 characters) and the replication totals its {@code /health/ready} shows
 * ({@code ReplicationTimes}: transactions and writes of its database, batches shipped and how long
 * their answers were held, batches received and how long each took to be answered). Two snapshots
 * taken around a measurement say where its writes' time and CPU went.
 */
record InstanceWork(Map<String, Long> cpuMillisByGroup, long processCpuMillis, JsonObject replication) {

  /** Clock ticks per second of {@code /proc}'s CPU times (USER_HZ, 100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;

  static InstanceWork of(long pid, JsonObject readiness) {
    Map<String, Long> groups = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(thread -> {
        long[] cpu = new long[1];
        String name = stat(thread.resolve("stat"), cpu);
        if (name != null) {
          groups.merge(name.replaceAll("[0-9]+", "#"), cpu[0], Long::sum);
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the threads of process " + pid, e);
    }
    long[] process = new long[1];
    stat(Path.of("/proc", Long.toString(pid), "stat"), process);
    JsonObject replication = readiness.getJsonObject("replication", new JsonObject());
    return new InstanceWork(groups, process[0], replication);
  }

  /** The name in a {@code stat} file, its user and system CPU in milliseconds put in {@code cpu[0]}; null when gone. */
  private static String stat(Path file, long[] cpu) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return null;
    }
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    String[] fields = text.substring(close + 2).split(" ");
    // fields after the name: state is the 3rd field of the file, utime the 14th, stime the 15th
    cpu[0] = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1_000 / TICKS_PER_SECOND;
    return text.substring(open + 1, close);
  }

  /** What this instance spent since {@code before} while it took no requests, per second, as one line. */
  String idleSince(InstanceWork before, double seconds) {
    return String.format(Locale.ROOT, "%.1f (%s)", (processCpuMillis - before.processCpuMillis) / seconds,
        topGroups(before, seconds));
  }

  /** The thread groups that spent most since {@code before}, each with its CPU milliseconds divided by {@code per}. */
  private String topGroups(InstanceWork before, double per) {
    Map<String, Long> groups = new HashMap<>();
    cpuMillisByGroup.forEach((group, millis) -> groups.put(group,
        millis - before.cpuMillisByGroup.getOrDefault(group, 0L)));
    return groups.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / per))
        .collect(Collectors.joining(", "));
  }

  /** What this instance spent since {@code before}, per request, as one line. */
  String since(InstanceWork before, long requests) {
    double perRequest = Math.max(1, requests);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "CPU ms per write %.2f (",
        (processCpuMillis - before.processCpuMillis) / perRequest));
    line.append(topGroups(before, perRequest)).append(")");
    if (!replication.isEmpty()) {
      long commits = delta(before, "commits");
      long shipped = delta(before, "shipped");
      long received = delta(before, "received");
      line.append(String.format(Locale.ROOT, "; commits per write %.2f, database writes per write %.2f, per commit"
          + " %.1f ms in the transaction of which %.1f ms in its commit (fsync)", commits / perRequest,
          delta(before, "writes") / perRequest, delta(before, "transactionMicros") / 1e3 / Math.max(1, commits),
          delta(before, "commitMicros") / 1e3 / Math.max(1, commits)));
      if (replication.containsKey("commitCpuMicros")) {
        line.append(String.format(Locale.ROOT, ", writer CPU in the commit %.2f ms",
            delta(before, "commitCpuMicros") / 1e3 / Math.max(1, commits)));
      }
      if (shipped > 0) {
        line.append(String.format(Locale.ROOT, "; batches shipped per write %.2f, answer held %.1f ms per batch",
            shipped / perRequest, delta(before, "heldMicros") / 1e3 / shipped));
        if (replication.containsKey("messagesSent")) {
          line.append(String.format(Locale.ROOT, ", batches per message %.2f",
              shipped / (double) Math.max(1, delta(before, "messagesSent"))));
        }
      }
      if (received > 0) {
        line.append(String.format(Locale.ROOT, "; batches received per write %.2f, arrival to answer %.1f ms per"
            + " batch, batches per commit %.2f", received / perRequest, delta(before, "receivedMicros") / 1e3
            / received, received / (double) Math.max(1, commits)));
        if (replication.containsKey("messagesReceived")) {
          line.append(String.format(Locale.ROOT, ", batches per message %.2f",
              received / (double) Math.max(1, delta(before, "messagesReceived"))));
        }
        if (replication.containsKey("queuedMicros")) {
          line.append(String.format(Locale.ROOT, ", of that waiting for the writer %.1f ms and the batch's"
              + " statements %.1f ms; open transactions waited for more writes %.1f ms per commit",
              delta(before, "queuedMicros") / 1e3 / received, delta(before, "applyMicros") / 1e3 / received,
              delta(before, "gatherMicros") / 1e3 / Math.max(1, commits)));
        }
      }
    }
    return line.toString();
  }

  private long delta(InstanceWork before, String field) {
    return replication.getLong(field, 0L) - before.replication.getLong(field, 0L);
  }
}
