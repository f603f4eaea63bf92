package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import jp.tsunagu.node.care.CareClient;

/**
 * The live part's timeline mix, in a JVM of its own ({@link TimelineGenerator} starts it): first timeline
 * pages at a fixed rate and one post write for every ten reads, in an open loop, from the nurses the node's
 * side seeded, each logged in here as in the browser. In the node's JVM its own lateness (from a read's due
 * time to its send) grew with the ingest's CPU and its threads shared the node's collector and safepoints;
 * here it shares only the machine's cores.
 *
 * <p>Arguments: the node's web address, its certificate (PEM), the nurses' file (one line each: login id,
 * password, her boards separated by commas; tab-separated), the reads a second. Commands on standard input,
 * one a line: {@code RUN seconds} runs the mix (its reads are not reported: a warm-up), {@code TIMED seconds}
 * runs it and prints each read ({@code READ requestId due sent answered}, on {@link System#nanoTime}, the
 * system's monotonic clock, which the node's JVM on the same machine reads too); each run ends with
 * {@code DONE reads failures firstFailure}. It starts with {@code READY nanoTime}.
 */
final class SensorsTimelineLoad {

  record Nurse(CareClient client, List<String> boards) {}

  private SensorsTimelineLoad() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    X509Certificate certificate;
    try (var pem = Files.newInputStream(Path.of(args[1]))) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }
    List<Nurse> nurses = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      String[] fields = line.split("\t");
      CareClient client = new CareClient(base, certificate, fields[0]);
      client.login(fields[0], fields[1]);
      nurses.add(new Nurse(client, List.of(fields[2].split(","))));
    }
    int rate = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    out.println("READY " + System.nanoTime());
    out.flush();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      String[] words = command.split(" ");
      if (words[0].equals("STOP")) {
        break;
      }
      boolean timed = words[0].equals("TIMED");
      Run run = mix(nurses, rate, Integer.parseInt(words[1]));
      if (timed) {
        for (SlowReadPaths.ClientRead read : run.reads()) {
          out.printf(Locale.ROOT, "READ %s %d %d %d%n", read.requestId(), read.due(), read.sent(), read.answered());
        }
      }
      out.printf(Locale.ROOT, "DONE %d %d %s%n", run.reads().size(), run.failures(),
          String.valueOf(run.firstFailure()).replace('\n', ' '));
      out.flush();
    }
    System.exit(0);
  }

  /** The reads of one run as timed here, and the requests that failed. */
  record Run(List<SlowReadPaths.ClientRead> reads, int failures, String firstFailure) {}

  /**
   * The timeline benchmark's mix for {@code seconds}, in an open loop: sent when due whatever the answers
   * do, each read timed from when it was due (so a stall counts against every read it holds up). A closed
   * loop would keep the two cores busy by itself and measure only that the ingest takes some CPU; at a
   * fixed rate the ratio shows what the ingest does to the professionals' requests.
   */
  static Run mix(List<Nurse> nurses, int rate, int seconds) throws InterruptedException {
    ConcurrentLinkedQueue<SlowReadPaths.ClientRead> timed = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    ExecutorService clients = Executors.newFixedThreadPool(64);
    long interval = 1_000_000_000L / (rate + rate / 10);
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (long i = 0; start + i * interval < until; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Nurse nurse = nurses.get(random.nextInt(nurses.size()));
      String board = nurse.boards().get(random.nextInt(nurse.boards().size()));
      boolean write = i % 11 == 10;
      clients.execute(() -> {
        try {
          if (write) {
            expect(nurse.client().post("/api/v1/patients/" + board + "/posts", post()), 201);
          } else {
            long sent = System.nanoTime();
            HttpResponse<String> read = nurse.client().getResponse("/api/v1/patients/" + board + "/posts");
            long answered = System.nanoTime();
            expect(new CareClient.Reply(read.statusCode(), read.body()), 200);
            timed.add(new SlowReadPaths.ClientRead(read.headers().firstValue("X-Request-Id").orElse("-"), due, sent,
                answered));
          }
        } catch (RuntimeException | AssertionError e) {
          // The client's own checks fail with an AssertionError (a status it did not expect): counted
          // like a refused connection, never lost with the pool's thread.
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, e.getMessage());
        }
      });
    }
    clients.shutdown();
    if (!clients.awaitTermination(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the timeline mix did not finish");
    }
    return new Run(new ArrayList<>(timed), failures.get(), firstFailure.get());
  }

  static JsonObject post() {
    return new JsonObject().put("category", "申し送り")
        .put("body", "訪問時、表情良好。昼食は7割摂取。仙骨部に発赤なし。引き続き経過をみます。");
  }

  private static void expect(CareClient.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("the timeline mix got " + reply.status() + ": " + reply.body());
    }
  }
}
