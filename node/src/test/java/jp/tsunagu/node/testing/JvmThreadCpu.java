package jp.tsunagu.node.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the JVM's own threads, which {@link ThreadCpu} cannot see (the JVM does not list them as Java
 * threads), split into the JIT compiler, the garbage collector (with the VM thread, which runs the
 * stop-the-world collections of the serial collector and every safepoint) and the rest. Read from
 * {@code /proc/self/task/<tid>/schedstat} by thread name, so on Linux only; elsewhere every figure is 0 and
 * the unsplit remainder of {@link ThreadCpu#unlisted} is all there is. A compiler thread that ended between
 * two snapshots (the JVM stops idle ones) loses its time here; the process total still has it.
 */
public final class JvmThreadCpu {

  private static final Path TASKS = Path.of("/proc/self/task");

  private final Map<String, Long> nanosByThread;

  private JvmThreadCpu(Map<String, Long> nanosByThread) {
    this.nanosByThread = nanosByThread;
  }

  /** The JVM's own threads' CPU time now, by thread id and kind. */
  public static JvmThreadCpu now() {
    Map<String, Long> nanos = new HashMap<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> {
        try {
          String kind = kind(Files.readString(task.resolve("comm")).strip());
          if (kind != null) {
            String schedstat = Files.readString(task.resolve("schedstat"));
            nanos.put(kind + "/" + task.getFileName(), Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended while it was read
        }
      });
    } catch (IOException notLinux) {
      // no /proc: nothing to split
    }
    return new JvmThreadCpu(nanos);
  }

  /** The JIT compiler, the collector (and safepoints), or null for a Java thread or one not told apart. */
  static String kind(String threadName) {
    if (threadName.contains("CompilerThre")) {
      return "JIT";
    }
    if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")
        || threadName.startsWith("ZGC") || threadName.startsWith("Shenandoah")) {
      return "GC";
    }
    return null;
  }

  /**
   * How many compilations the JIT compiler is running or has queued now (the {@code Compiler.queue}
   * diagnostic command's task lines), or -1 where the JVM does not offer the command.
   */
  public static int compilationsQueued() {
    try {
      Object text = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue", new Object[] {null},
          new String[] {String[].class.getName()});
      return (int) String.valueOf(text).lines().filter(line -> TASK.matcher(line).find()).count();
    } catch (JMException | RuntimeException unavailable) {
      return -1;
    }
  }

  /** A task line of {@code Compiler.queue} (running or waiting): it names a method, "Class::name (n bytes)". */
  private static final Pattern TASK = Pattern.compile("::\\S+.*\\(\\d+ bytes\\)");

  /** CPU nanoseconds of the JIT compiler's threads since {@code before}. */
  public long jitNanosSince(JvmThreadCpu before) {
    long nanos = 0;
    for (var e : nanosByThread.entrySet()) {
      if (e.getKey().startsWith("JIT/")) {
        nanos += e.getValue() - before.nanosByThread.getOrDefault(e.getKey(), 0L);
      }
    }
    return nanos;
  }

  /** "JIT x, GC and safepoints y" in ms per {@code divisor} since {@code before}. */
  public String since(JvmThreadCpu before, double divisor) {
    Map<String, Long> byKind = new HashMap<>();
    nanosByThread.forEach((thread, nanos) -> byKind.merge(thread.substring(0, thread.indexOf('/')),
        nanos - before.nanosByThread.getOrDefault(thread, 0L), Long::sum));
    return String.format(Locale.ROOT, "of it the JIT compiler %.2f, GC and safepoints %.2f",
        byKind.getOrDefault("JIT", 0L) / 1e6 / divisor, byKind.getOrDefault("GC", 0L) / 1e6 / divisor);
  }
}
