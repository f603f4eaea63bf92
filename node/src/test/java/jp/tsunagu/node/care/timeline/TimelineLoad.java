package jp.tsunagu.node.care.timeline;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The load generator of {@link TimelineBenchmark}, in its own JVM: each of the benchmark's
 * professionals logs in as in the browser (CSRF cookie, then device certificate + login id +
 * password) on their own TLS client, then
 * <ul>
 *   <li>closed loop (each client sends its next request when the last is answered), in rounds that
 *       alternate the trivial endpoint and the first timeline page: throughput, p50, p99 and their
 *       ratio (target: the timeline at least 0.3 of the trivial endpoint's throughput);</li>
 *   <li>the first page with the timeline cache bypassed, and post writes, closed loop, in rounds each
 *       beside its own trivial baseline (targets: each at least 0.25 of the trivial endpoint's
 *       throughput);</li>
 *   <li>open loop at fixed rates, timeline reads and post writes together, each request timed
 *       from when it was due, so a node that falls behind cannot hide its queue (target: timeline
 *       p99 at most 50 ms at 500 requests/s).</li>
 * </ul>
 * Around each measurement it prints {@code BEGIN name} and {@code END name requests} for the
 * parent, which adds the node's CPU time per request.
 *
 * <p>Arguments: the node's web port, its certificate (PEM), the professionals' file.
 */
final class TimelineLoad {

  private static final Buffer POST_BODY = new JsonObject().put("category", "申し送り")
      .put("body", "訪問時、表情良好。昼食は7割摂取。仙骨部に発赤なし。引き続き経過をみます。").toBuffer();

  /** One measurement: throughput, latency and the generator's own CPU time per request. */
  private record Figures(long requests, double perSecond, double p50Millis, double p99Millis, long errors,
      double cpuMicros) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  generator cpu %5.0f us/req%s",
          perSecond, p50Millis, p99Millis, cpuMicros, errors == 0 ? "" : "  " + errors + " ERRORS");
    }
  }

  /** One logged-in professional: their own TLS client (their device certificate), cookies and patients. */
  private record Client(HttpClientAgent http, String cookies, String csrf, List<String> boards) {}

  /** Connections the clients opened to the node, each a TLS handshake with a client certificate. */
  private static final AtomicInteger CONNECTIONS_OPENED = new AtomicInteger();

  private TimelineLoad() {}

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Throwable e) {
      // The client's event loops would keep this JVM, and the benchmark waiting for it, alive.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String certificate = Files.readString(Path.of(args[1]));
    Properties people = new Properties();
    try (var in = Files.newInputStream(Path.of(args[2]))) {
      people.load(in);
    }
    int rounds = Integer.getInteger("bench.care.rounds", 3);
    Duration measure = Duration.ofSeconds(Integer.getInteger("bench.care.seconds", 10));
    int rate = Integer.getInteger("bench.care.rate", 500);
    Vertx vertx = Vertx.vertx();
    List<Client> clients = login(vertx, port, certificate, people);
    checkPages(clients);

    String only = System.getProperty("bench.care.only");
    if ("mixed".equals(only)) {
      mixed(vertx, clients, rate, measure);
      return;
    }
    if (only != null) {
      int expected = only.equals("write") ? 201 : 200;
      Function<Client, Future<Integer>> request = only.equals("write") ? TimelineLoad::write
          : only.equals("trivial") ? TimelineLoad::trivial
          : only.equals("uncached") ? TimelineLoad::timelineUncached : TimelineLoad::timeline;
      closedLoop(vertx, clients, "warm-up", request, expected,
          Duration.ofSeconds(Integer.getInteger("bench.care.warmup", 20)));
      System.out.printf(Locale.ROOT, "  only %-40s %s%n", only, closedLoop(vertx, clients, only, request, expected,
          measure));
      return;
    }
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("bench.care.warmup", 20));
    closedLoop(vertx, clients, "warm-up", TimelineLoad::timeline, 200, warmUp);
    closedLoop(vertx, clients, "warm-up", TimelineLoad::trivial, 200, warmUp.dividedBy(2));
    closedLoop(vertx, clients, "warm-up", TimelineLoad::write, 201, warmUp.dividedBy(4));
    closedLoop(vertx, clients, "warm-up", TimelineLoad::timelineUncached, 200, warmUp.dividedBy(4));
    System.out.printf(Locale.ROOT, "%nclosed loop, %d clients, %d s each:%n", clients.size(), measure.toSeconds());
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      Figures trivial = closedLoop(vertx, clients, "trivial", TimelineLoad::trivial, 200, measure);
      System.out.printf(Locale.ROOT, "  round %d  baseline GET /api/v1/auth/me    %s%n", r + 1, trivial);
      Figures timeline = closedLoop(vertx, clients, "timeline", TimelineLoad::timeline, 200, measure);
      ratios[r] = timeline.perSecond() / trivial.perSecond();
      System.out.printf(Locale.ROOT, "  round %d  first timeline page (50 posts) %s  ratio %.2f%n", r + 1, timeline,
          ratios[r]);
    }
    // The same pages with the timeline cache bypassed (a "before" above every post is read from the
    // database), for what a page costs right after its board changed, and post writes: each round
    // beside its own trivial baseline, the machine being shared.
    double[] uncachedRatios = new double[rounds];
    double[] writeRatios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      Figures trivial = closedLoop(vertx, clients, "trivial", TimelineLoad::trivial, 200, measure);
      System.out.printf(Locale.ROOT, "  round %d  baseline GET /api/v1/auth/me    %s%n", r + 1, trivial);
      Figures uncached = closedLoop(vertx, clients, "timeline-uncached", TimelineLoad::timelineUncached, 200,
          measure);
      uncachedRatios[r] = uncached.perSecond() / trivial.perSecond();
      System.out.printf(Locale.ROOT, "  round %d  first page, cache bypassed     %s  ratio %.2f%n", r + 1, uncached,
          uncachedRatios[r]);
      Figures writes = closedLoop(vertx, clients, "write", TimelineLoad::write, 201, measure);
      writeRatios[r] = writes.perSecond() / trivial.perSecond();
      System.out.printf(Locale.ROOT, "  round %d  post writes                    %s  ratio %.2f%n", r + 1, writes,
          writeRatios[r]);
    }
    Arrays.sort(uncachedRatios);
    Arrays.sort(writeRatios);
    System.out.printf(Locale.ROOT, "  cache bypassed / trivial throughput: median %.2f (min %.2f, max %.2f)"
        + " (target >= 0.25) %s%n", uncachedRatios[rounds / 2], uncachedRatios[0], uncachedRatios[rounds - 1],
        uncachedRatios[rounds / 2] >= 0.25 ? "MET" : "NOT MET");
    System.out.printf(Locale.ROOT, "  post writes / trivial throughput: median %.2f (min %.2f, max %.2f)"
        + " (target >= 0.25) %s%n", writeRatios[rounds / 2], writeRatios[0], writeRatios[rounds - 1],
        writeRatios[rounds / 2] >= 0.25 ? "MET" : "NOT MET");
    Arrays.sort(ratios);
    double median = ratios[rounds / 2];
    System.out.printf(Locale.ROOT, "  timeline / trivial throughput: median %.2f (min %.2f, max %.2f)"
        + " (target >= 0.3) %s%n", median, ratios[0], ratios[rounds - 1], median >= 0.3 ? "MET" : "NOT MET");

    mixed(vertx, clients, rate, measure);
  }

  /** The open loop of timeline reads and post writes at a fixed rate, after its own warm-up. */
  private static void mixed(Vertx vertx, List<Client> clients, int rate, Duration measure) throws Exception {
    int writeRate = Math.max(1, rate / 10);
    System.out.printf(Locale.ROOT, "%nopen loop, %d timeline reads/s + %d post writes/s for %d s:%n", rate, writeRate,
        measure.toSeconds());
    // The open loop sends up to four requests at once per client where the closed loops sent one, so its
    // first second would open about a hundred connections, each a TLS handshake with a client certificate
    // (several ms of CPU on both sides), and queue every request behind them: a cost of a client's first
    // minute, not of the steady state measured here. Warmed up first; the connections opened while it is
    // measured are printed.
    openLoop(vertx, clients, "mixed-warm-up", rate, writeRate,
        Duration.ofSeconds(Integer.getInteger("bench.care.openWarmup", 5)));
    int connectionsBefore = CONNECTIONS_OPENED.get();
    Figures[] mixed = openLoop(vertx, clients, "mixed", rate, writeRate, measure);
    System.out.printf(Locale.ROOT, "  connections opened while measured: %d (%d before)%n",
        CONNECTIONS_OPENED.get() - connectionsBefore, connectionsBefore);
    System.out.printf(Locale.ROOT, "  first timeline page  %s%n", mixed[0]);
    System.out.printf(Locale.ROOT, "  post writes          %s%n", mixed[1]);
    boolean met = rate >= 500 && mixed[0].p99Millis() <= 50 && mixed[0].errors() == 0;
    System.out.printf(Locale.ROOT, "  timeline p99 %.1f ms at %d req/s offered, %.0f req/s answered"
        + " (target <= 50 ms at >= 500 req/s) %s%n", mixed[0].p99Millis(), rate, mixed[0].perSecond(),
        met ? "MET" : "NOT MET");
  }

  // ---- logging in --------------------------------------------------------------------------

  private static List<Client> login(Vertx vertx, int port, String certificate, Properties people) {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; people.containsKey(i + ".login"); i++) {
      if (people.getProperty(i + ".boards").isBlank()) {
        continue; // below full scale some of the 32 professionals get no patient
      }
      HttpClientAgent http = vertx.httpClientBuilder().with(new HttpClientOptions()
              .setSsl(true).setVerifyHost(false).setDefaultHost("127.0.0.1").setDefaultPort(port)
              .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
              .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certificate)))
              .setKeyCertOptions(new PfxOptions()
                  .setValue(Buffer.buffer(Base64.getDecoder().decode(people.getProperty(i + ".pkcs12"))))
                  .setPassword(people.getProperty(i + ".pkcs12Password"))))
          .with(new PoolOptions().setHttp1MaxSize(4))
          .withConnectHandler(connection -> CONNECTIONS_OPENED.incrementAndGet())
          .build();
      Reply csrf = exchange(send(http, HttpMethod.GET, "/api/v1/auth/csrf", null, null, null));
      Reply login = exchange(send(http, HttpMethod.POST, "/api/v1/auth/login",
          "__Host-tsunagu-csrf=" + csrf.cookie("__Host-tsunagu-csrf"), csrf.json().getString("csrfToken"),
          new JsonObject().put("loginId", people.getProperty(i + ".login"))
              .put("password", TimelineBenchmark.PASSWORD).toBuffer()));
      if (login.status() != 200) {
        throw new IllegalStateException("login failed: " + login.body());
      }
      clients.add(new Client(http, "__Host-tsunagu-session=" + login.cookie("__Host-tsunagu-session")
          + "; __Host-tsunagu-csrf=" + login.cookie("__Host-tsunagu-csrf"), login.json().getString("csrfToken"),
          List.of(people.getProperty(i + ".boards").split(","))));
    }
    return clients;
  }

  /** A whole answer, for the set-up steps (the load itself only counts statuses). */
  private record Reply(int status, List<String> cookies, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String cookie(String name) {
      return cookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
          .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
          .orElseThrow(() -> new IllegalStateException("no cookie " + name));
    }
  }

  private static Reply exchange(Future<HttpClientResponse> response) {
    return response.compose(r -> r.body().map(body -> new Reply(r.statusCode(), r.cookies(), body))).await();
  }

  /** Before measuring: each client gets the first page of one of its patients, 50 posts. */
  private static void checkPages(List<Client> clients) {
    int full = 0;
    for (Client client : clients) {
      Reply reply = exchange(send(client.http(), HttpMethod.GET, "/api/v1/patients/" + client.boards().get(0)
          + "/posts", client.cookies(), null, null));
      if (reply.status() != 200) {
        throw new IllegalStateException("timeline answered " + reply.status() + ": " + reply.body());
      }
      full += reply.json().getJsonArray("posts").size() == 50 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "%d professionals logged in (certificate + password); %d of their first pages"
        + " checked hold 50 posts%n", clients.size(), full);
  }

  // ---- requests ----------------------------------------------------------------------------

  private static Future<Integer> trivial(Client client) {
    return status(send(client.http(), HttpMethod.GET, "/api/v1/auth/me", client.cookies(), null, null));
  }

  private static Future<Integer> timeline(Client client) {
    return status(send(client.http(), HttpMethod.GET, "/api/v1/patients/" + anyBoard(client) + "/posts",
        client.cookies(), null, null));
  }

  private static Future<Integer> timelineUncached(Client client) {
    return status(send(client.http(), HttpMethod.GET, "/api/v1/patients/" + anyBoard(client)
        + "/posts?before=999999999999999999", client.cookies(), null, null));
  }

  private static Future<Integer> write(Client client) {
    return status(send(client.http(), HttpMethod.POST, "/api/v1/patients/" + anyBoard(client) + "/posts",
        client.cookies(), client.csrf(), POST_BODY));
  }

  private static String anyBoard(Client client) {
    return client.boards().get(ThreadLocalRandom.current().nextInt(client.boards().size()));
  }

  private static Future<HttpClientResponse> send(HttpClientAgent http, HttpMethod method, String path, String cookies,
      String csrf, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path).putHeader("Accept", "application/json");
    if (cookies != null) {
      options.putHeader("Cookie", cookies);
    }
    if (csrf != null) {
      options.putHeader("X-CSRF-Token", csrf).putHeader("Content-Type", "application/json");
    }
    return http.request(options).compose(request -> body == null ? request.send() : request.send(body));
  }

  /** The status once the whole body has arrived (a response counts when the client has all of it). */
  private static Future<Integer> status(Future<HttpClientResponse> response) {
    return response.compose(r -> r.body().map(ignored -> r.statusCode()));
  }

  // ---- measuring ---------------------------------------------------------------------------

  /** Latencies of one measurement, recorded from the generator's event loops. */
  private static final class Recorder {
    private long[] nanos = new long[1 << 16];
    private int count;
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

    void completed(long startedNanos, long endNanos, int expected, AsyncResult<Integer> result) {
      if (result.failed() || result.result() != expected) {
        errors.incrementAndGet();
        String kind = result.failed() ? result.cause().toString() : "status " + result.result();
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      } else if (startedNanos < endNanos) {
        add(System.nanoTime() - startedNanos);
      }
    }

    private synchronized void add(long latency) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = latency;
    }

    synchronized Figures figures(Duration over, long cpuNanos) {
      if (!errorKinds.isEmpty()) {
        System.out.println("  errors: " + errorKinds);
      }
      long[] sorted = Arrays.copyOf(nanos, count);
      Arrays.sort(sorted);
      if (sorted.length == 0) {
        return new Figures(0, 0, 0, 0, errors.get(), 0);
      }
      return new Figures(sorted.length, sorted.length / (over.toNanos() / 1e9), sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.99)] / 1e6, errors.get(), cpuNanos / 1e3 / sorted.length);
    }
  }

  /** Every client keeps one request in flight for the duration. */
  private static Figures closedLoop(Vertx vertx, List<Client> clients, String name,
      Function<Client, Future<Integer>> request, int expected, Duration duration) throws Exception {
    Recorder recorder = new Recorder();
    System.out.println("BEGIN " + name);
    long cpu = processCpuNanos();
    long end = System.nanoTime() + duration.toNanos();
    List<Future<Void>> loops = new ArrayList<>();
    for (Client client : clients) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> next(client, request, recorder, expected, end, done));
      loops.add(done.future());
    }
    Future.all(loops).await(duration.toSeconds() + 60, TimeUnit.SECONDS);
    Figures figures = recorder.figures(duration, processCpuNanos() - cpu);
    System.out.println("END " + name + " " + figures.requests());
    return figures;
  }

  private static void next(Client client, Function<Client, Future<Integer>> request, Recorder recorder, int expected,
      long end, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long started = System.nanoTime();
    request.apply(client).onComplete(result -> {
      recorder.completed(started, end, expected, result);
      next(client, request, recorder, expected, end, done);
    });
  }

  /**
   * Requests sent at fixed rates whatever the answers do, each timed from when it was due, so a
   * node that falls behind shows it in the latency instead of slowing the generator down.
   */
  private static Figures[] openLoop(Vertx vertx, List<Client> clients, String name, int readRate, int writeRate,
      Duration duration) throws Exception {
    Recorder reads = new Recorder();
    Recorder writes = new Recorder();
    System.out.println("BEGIN " + name);
    long cpu = processCpuNanos();
    long start = System.nanoTime() + 10_000_000;
    long end = start + duration.toNanos();
    long readEvery = 1_000_000_000L / readRate;
    long writeEvery = 1_000_000_000L / writeRate;
    long[] sent = new long[2];
    List<Future<?>> pending = new ArrayList<>();
    Promise<Void> finished = Promise.promise();
    vertx.setPeriodic(1, timer -> {
      long now = System.nanoTime();
      while (start + sent[0] * readEvery <= Math.min(now, end)) {
        long due = start + sent[0] * readEvery;
        Client client = clients.get((int) (sent[0]++ % clients.size()));
        pending.add(timeline(client).onComplete(r -> reads.completed(due, Long.MAX_VALUE, 200, r)).otherwiseEmpty());
      }
      while (start + sent[1] * writeEvery <= Math.min(now, end)) {
        long due = start + sent[1] * writeEvery;
        Client client = clients.get((int) (sent[1]++ % clients.size()));
        pending.add(write(client).onComplete(r -> writes.completed(due, Long.MAX_VALUE, 201, r)).otherwiseEmpty());
      }
      if (now >= end) {
        vertx.cancelTimer(timer);
        finished.complete();
      }
    });
    finished.future().await(duration.toSeconds() + 10, TimeUnit.SECONDS);
    Future.join(new ArrayList<>(pending)).await(60, TimeUnit.SECONDS);
    long spent = processCpuNanos() - cpu;
    Figures[] figures = {reads.figures(duration, spent * readRate / (readRate + writeRate)),
        writes.figures(duration, spent * writeRate / (readRate + writeRate))};
    System.out.println("END " + name + " " + (figures[0].requests() + figures[1].requests()));
    return figures;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
