package jp.tsunagu.node.sensors;

import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.node.testing.TestHttp;

/**
 * The live part's gateways, in a JVM of their own ({@link GatewayGenerator} starts it): every gateway
 * delivers its households' minute once a minute, spread over the minute, signed and over HTTPS as a
 * provider's server would. In the node's JVM their signing, JSON and TLS were counted as the node's CPU
 * and shared its collector; here their CPU is measured apart and they share only the machine's cores.
 *
 * <p>Arguments: the node's web address, its certificate (PEM), the gateways' file (one line each: id,
 * private JWK, households separated by commas; tab-separated). Commands on standard input, one a line:
 * {@code START} starts the deliveries (or resumes them), {@code PAUSE} pauses them (every gateway skips its
 * minutes until resumed; answered once the batches under way are answered), {@code STOP} ends them and the
 * JVM. It starts with {@code READY} and answers {@code STARTED} and {@code PAUSED}; at {@code STOP} it prints
 * {@code STOPPED batches failures firstFailure}.
 */
final class SensorsGatewayLoad {

  private static final long MINUTE = 60_000;

  private SensorsGatewayLoad() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    X509Certificate certificate;
    try (var pem = Files.newInputStream(Path.of(args[1]))) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
    List<SensorsBenchmark.Gateway> gateways = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      String[] fields = line.split("\t");
      gateways.add(new SensorsBenchmark.Gateway(fields[0], SigningKey.fromPrivateJwk(OctetKeyPair.parse(fields[1])),
          List.of(fields[2].split(","))));
    }
    HttpClient http = HttpClient.newBuilder().sslContext(TestHttp.trusting(certificate))
        .connectTimeout(Duration.ofSeconds(10)).build();
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    out.println("READY");
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ScheduledExecutorService senders = null;
    AtomicInteger batches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    Deliveries deliveries = new Deliveries();
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      if (command.equals("START")) {
        deliveries.paused.set(false);
        if (senders == null) {
          senders = paced(http, base, gateways, batches, failures, firstFailure, deliveries);
        }
        out.println("STARTED");
      } else if (command.equals("PAUSE")) {
        deliveries.paused.set(true);
        while (deliveries.underWay.get() > 0) {
          Thread.sleep(10);
        }
        out.println("PAUSED");
      } else if (command.equals("STOP")) {
        break;
      }
    }
    if (senders != null) {
      senders.shutdownNow();
      senders.awaitTermination(1, TimeUnit.MINUTES);
    }
    out.printf("STOPPED %d %d %s%n", batches.get(), failures.get(),
        String.valueOf(firstFailure.get()).replace('\n', ' '));
    System.exit(0);
  }

  /**
   * Whether the gateways skip their minutes (the timeline's phases alone between those with the ingest: the
   * ingest paused, its gateways' schedule and connections kept) and how many batches are under way.
   */
  static final class Deliveries {
    final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();
    final AtomicInteger underWay = new AtomicInteger();
  }

  /** Every gateway once a minute with the minute's readings, the gateways spread evenly over the minute. */
  static ScheduledExecutorService paced(HttpClient http, URI base, List<SensorsBenchmark.Gateway> gateways,
      AtomicInteger batches, AtomicInteger failures, AtomicReference<String> firstFailure, Deliveries deliveries) {
    ScheduledExecutorService senders = java.util.concurrent.Executors.newScheduledThreadPool(16);
    for (int i = 0; i < gateways.size(); i++) {
      SensorsBenchmark.Gateway gateway = gateways.get(i);
      senders.scheduleAtFixedRate(() -> {
        deliveries.underWay.incrementAndGet();
        if (deliveries.paused.get()) {
          deliveries.underWay.decrementAndGet();
          return;
        }
        long minute = System.currentTimeMillis() / MINUTE;
        try {
          SensorsBenchmark.post(http, base, gateway, SensorsBenchmark.readings(gateway, minute, minute + 1));
          batches.incrementAndGet();
        } catch (RuntimeException e) {
          // A refused or failed batch is counted and told at the end; the gateway goes on next minute.
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, e.getMessage());
        } finally {
          deliveries.underWay.decrementAndGet();
        }
      }, i * MINUTE / gateways.size(), MINUTE, TimeUnit.MILLISECONDS);
    }
    return senders;
  }
}
