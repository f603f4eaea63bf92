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
import jp.tsunagu.node.TsunaguNode;

/**
 * The node's side of {@link SensorsGatewayLoad}: starts the gateways in a JVM of their own with the test
 * class path, as {@link TimelineGenerator} does the timeline's mix, hands them their keys and households,
 * and starts and stops their deliveries. Their CPU is reported apart from the node's.
 */
final class GatewayGenerator implements AutoCloseable {

  private final Process process;
  private final BufferedReader lines;
  private final PrintWriter commands;

  private GatewayGenerator(Process process) {
    this.process = process;
    this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Starts the JVM for these gateways; they deliver nothing until {@link #deliver}. */
  static GatewayGenerator start(TsunaguNode node, List<SensorsBenchmark.Gateway> gateways) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-sensors-gateways-");
    Path certificate = dir.resolve("node-certificate.pem");
    Files.writeString(certificate, node.services().keys().webCertificatePem());
    List<String> rows = new ArrayList<>();
    for (SensorsBenchmark.Gateway gateway : gateways) {
      rows.add(gateway.id() + "\t" + gateway.key().privateJwk().toJSONString() + "\t"
          + String.join(",", gateway.households()));
    }
    Path file = dir.resolve("gateways.tsv");
    Files.write(file, rows);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path"), SensorsGatewayLoad.class.getName(),
        node.webUrl().toString(), certificate.toString(), file.toString()));
    GatewayGenerator generator = new GatewayGenerator(new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    String ready = generator.lines.readLine();
    // The keys are private: the file is not left behind once the JVM has read it.
    Files.deleteIfExists(file);
    if (!"READY".equals(ready)) {
      generator.close();
      throw new IllegalStateException("the gateways' JVM did not start: " + ready);
    }
    return generator;
  }

  /** Starts (or resumes) every gateway's deliveries, once a minute each, spread over the minute. */
  void deliver() throws Exception {
    commands.println("START");
    String started = lines.readLine();
    if (!"STARTED".equals(started)) {
      throw new IllegalStateException("the gateways did not start: " + started);
    }
  }

  /** Pauses the deliveries: answers once the batches under way are answered; {@link #deliver} resumes them. */
  void pause() throws Exception {
    commands.println("PAUSE");
    String paused = lines.readLine();
    if (!"PAUSED".equals(paused)) {
      throw new IllegalStateException("the gateways did not pause: " + paused);
    }
  }

  /** The gateways' JVM's CPU so far (nanoseconds), or -1 where the system does not tell. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** Stops the deliveries and the JVM; a batch that failed is an error of the benchmark. */
  @Override
  public void close() throws Exception {
    commands.println("STOP");
    commands.close();
    String stopped = lines.readLine();
    if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    if (stopped != null && stopped.startsWith("STOPPED ")) {
      String[] words = stopped.split(" ", 4);
      System.out.printf(java.util.Locale.ROOT, "  the gateways' JVM delivered %s batches, %s failed%s%n", words[1],
          words[2], "0".equals(words[2]) ? "" : " (first: " + words[3] + ")");
    }
  }
}
