package jp.tsunagu.node.sensors;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.tsunagu.node.TsunaguNode;

/**
 * The node's side of {@link SensorsTimelineLoad}: starts it in a JVM of its own with the test class path
 * (as the separate-JVM tests do), hands it the nurses, and runs the mix there phase by phase, so that the
 * load generator's own lateness and collections no longer count against the node. Its CPU is reported
 * apart from the node's.
 */
final class TimelineGenerator implements AutoCloseable {

  private final Process process;
  private final BufferedReader lines;
  private final PrintWriter commands;

  private TimelineGenerator(Process process) {
    this.process = process;
    this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Starts the generator for these nurses (logged in again there with {@code password}) at {@code rate} reads a second. */
  static TimelineGenerator start(TsunaguNode node, List<SensorsLiveLoad.Nurse> nurses, String password, int rate)
      throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-sensors-timeline-");
    Path certificate = dir.resolve("node-certificate.pem");
    Files.writeString(certificate, node.services().keys().webCertificatePem());
    List<String> people = new ArrayList<>();
    for (SensorsLiveLoad.Nurse nurse : nurses) {
      people.add(nurse.loginId() + "\t" + password + "\t" + String.join(",", nurse.boards()));
    }
    Path file = dir.resolve("nurses.tsv");
    Files.write(file, people);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"), SensorsTimelineLoad.class.getName(),
        node.webUrl().toString(), certificate.toString(), file.toString(), String.valueOf(rate)));
    TimelineGenerator generator = new TimelineGenerator(new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    String ready = generator.lines.readLine();
    if (ready == null || !ready.startsWith("READY ")) {
      generator.close();
      throw new IllegalStateException("the timeline generator did not start: " + ready);
    }
    // Both JVMs read the system's monotonic clock: the client's times and the node's paths are one scale.
    long skew = System.nanoTime() - Long.parseLong(ready.substring("READY ".length()));
    if (skew < 0 || skew > Duration.ofSeconds(5).toNanos()) {
      generator.close();
      throw new IllegalStateException("the generator's clock is not the node's: " + skew + " ns apart");
    }
    return generator;
  }

  /** Runs the mix for {@code seconds} unmeasured (the JIT compiler's warm-up on both sides). */
  void warmUp(int seconds) throws Exception {
    run("RUN", seconds, new ArrayList<>());
  }

  /**
   * Runs the mix for {@code seconds}; answers the reads' latencies from when each was due (nanoseconds) and
   * adds each read's client times to {@code reads}.
   */
  List<Long> timed(int seconds, List<SlowReadPaths.ClientRead> reads) throws Exception {
    List<SlowReadPaths.ClientRead> run = new ArrayList<>();
    run("TIMED", seconds, run);
    reads.addAll(run);
    return run.stream().map(read -> read.answered() - read.due()).toList();
  }

  /** The generator's CPU so far (nanoseconds), or -1 where the system does not tell. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private void run(String command, int seconds, List<SlowReadPaths.ClientRead> reads) throws Exception {
    commands.println(command + " " + seconds);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      String[] words = line.split(" ", 4);
      if (words[0].equals("READ")) {
        String[] times = words[3].split(" ");
        reads.add(new SlowReadPaths.ClientRead(words[1], Long.parseLong(words[2]), Long.parseLong(times[0]),
            Long.parseLong(times[1])));
      } else if (words[0].equals("DONE")) {
        int failures = Integer.parseInt(words[2]);
        if (failures > 0) {
          throw new IllegalStateException(failures + " requests of the timeline mix failed, first: "
              + (words.length > 3 ? words[3] : "?"));
        }
        return;
      } else {
        System.out.println(line);
      }
    }
    throw new IllegalStateException("the timeline generator ended early, exit code "
        + process.waitFor() + String.format(Locale.ROOT, "%n"));
  }

  @Override
  public void close() {
    commands.println("STOP");
    commands.close();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
