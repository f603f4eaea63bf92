package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;

/**
 * The cost and the benefit of running a node as three instances, each instance a JVM of its own on
 * this machine, against one instance in the same run: post writes per second (the cluster with one
 * synchronous replica, writes sent to the leader) and the latency replication adds (p50, p99), reads
 * per second spread over the three instances against one, and the failover time (the leader killed
 * with {@code kill -9} until the first write acknowledged through HAProxy) over several trials.
 *
 * <p>The write rates are measured in rounds, one instance then three, both started once and kept up
 * ({@code -Dbench.cluster.rounds=N}, 3 by default), and the ratio printed is that of the medians.
 * {@code -Dbench.cluster.seconds=N} each measurement, {@code -Dbench.cluster.clients=N}
 * concurrent devices, {@code -Dbench.cluster.trials=N} failovers (10 by default; 0: none),
 * {@code -Dbench.cluster.reads=false} to leave the reads out, {@code -Dbench.cluster.parts=failover} the
 * failover trials alone ({@code rates,failover} by default).
 */
public final class ClusterBenchmark {

  private static final String PASSWORD = "Kamiina-renkei-2025";
  private static final int SECONDS = Integer.getInteger("bench.cluster.seconds", 20);
  private static final int CLIENTS = Integer.getInteger("bench.cluster.clients", 16);
  private static final int TRIALS = Integer.getInteger("bench.cluster.trials", 10);
  /** {@code -Dbench.cluster.reads=false}: the writes (and failovers) only, for a shorter run. */
  private static final boolean READS = Boolean.parseBoolean(System.getProperty("bench.cluster.reads", "true"));
  private static final long GIVE_UP_SECONDS = 120;
  /** Which parts run: {@code rates} (writes, latency, reads against one instance) and {@code failover}. */
  private static final java.util.Set<String> PARTS = java.util.Set.of(
      System.getProperty("bench.cluster.parts", "rates,failover").split(","));

  /** Rounds of the write rates, each one instance then three, after an uncounted warm-up of each. */
  private static final int ROUNDS = Integer.getInteger("bench.cluster.rounds", 3);

  /** The device each kind of deployment was seeded with (its own database and identity, so its own ones). */
  private final List<Seeded> devices = new ArrayList<>();

  /** A kind's device and the node certificate its clients trust. */
  private record Seeded(AccountSeeder.Created device, X509Certificate certificate) {}

  /** What one measurement saw: requests per second and latency percentiles in milliseconds. */
  private record Rate(double perSecond, double p50, double p99) {}

  /** What the instances measured did while the requests were counted, one line per instance. */
  private record Work(List<String> lines) {}

  /** One kind of deployment, started once: where its devices write and which instances are watched. */
  private record Kind(InstanceProcesses processes, Seeded device, URI writeTo, List<URI> readFrom,
      String board, List<InstanceProcesses.Instance> watched) {
    String posts() {
      return "/api/v1/patients/" + board + "/posts";
    }
  }

  /** One round of writes: the rate of each kind and what each watched instance did meanwhile. */
  private record Round(Rate single, Work singleWork, Rate cluster, Work clusterWork) {
    double ratio() {
      return cluster.perSecond() / single.perSecond();
    }
  }

  public static void main(String[] args) throws Exception {
    new ClusterBenchmark().run();
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("cluster benchmark: %d clients, %d s each, %d rounds, %d failover trials, load average %s%n",
        CLIENTS, SECONDS, ROUNDS, TRIALS, loadAverage());
    Path root = Files.createTempDirectory("tsunagu-cluster-bench");
    try (InstanceProcesses three = new InstanceProcesses(root.resolve("three"), 3, this::seed)) {
      Seeded threeDevice = devices.get(devices.size() - 1);
      Kind clusterKind;
      if (PARTS.contains("rates")) {
        // Both kinds stay up for every round (the idle one's periodic work is small beside a measured
        // kind's writes), so rounds alternate without restarts and each pair of rates sees the same machine.
        try (InstanceProcesses single = new InstanceProcesses(root.resolve("single"), 1, this::seed)) {
          Seeded singleDevice = devices.get(devices.size() - 1);
          single.startAll();
          URI one = single.instance(0).webUrl();
          Kind singleKind = new Kind(single, singleDevice, one, List.of(one), board(one, singleDevice),
              List.of(single.instance(0)));
          clusterKind = startCluster(three, threeDevice);
          rates(singleKind, clusterKind);
        }
      } else {
        clusterKind = startCluster(three, threeDevice);
      }
      if (PARTS.contains("failover") && TRIALS > 0) {
        List<Duration> failovers = failovers(three, threeDevice, clusterKind.board());
        List<Long> millis = failovers.stream().map(Duration::toMillis).sorted().toList();
        System.out.printf("failover (kill -9 of the leader -> first acknowledged write through HAProxy), %d trials:"
            + " p50 %d ms, max %d ms (target <= 10000 ms) %s%n", millis.size(), millis.get(millis.size() / 2),
            millis.get(millis.size() - 1), millis);
      }
    }
    System.out.printf("load average at the end %s%n", loadAverage());
  }

  /** Starts the three instances and HAProxy, waits until every one is ready; writes go to the leader. */
  private Kind startCluster(InstanceProcesses three, Seeded device) throws Exception {
    three.startAll();
    three.startProxy();
    InstanceProcesses.Instance leader = three.awaitLeader();
    three.waitFor(Duration.ofSeconds(60), "every instance ready", () -> three.instances().stream()
        .allMatch(i -> three.readiness(i).map(r -> r.getBoolean("ready")).orElse(false)));
    List<InstanceProcesses.Instance> leaderFirst = new ArrayList<>(List.of(leader));
    three.instances().stream().filter(i -> !i.equals(leader)).forEach(leaderFirst::add);
    List<URI> all = three.instances().stream().map(InstanceProcesses.Instance::webUrl).toList();
    return new Kind(three, device, leader.webUrl(), all, board(leader.webUrl(), device), leaderFirst);
  }

  /**
   * The write rates of one instance and of three, alternated {@link #ROUNDS} times after an uncounted
   * warm-up of each: one pair of figures moves by a third from run to run of the same code, so the
   * ratio printed is that of the medians, with the spread of the rounds' own ratios beside it.
   */
  private void rates(Kind single, Kind cluster) throws Exception {
    writes(single, new ArrayList<>());
    writes(cluster, new ArrayList<>());
    System.out.printf("warmed up (each kind wrote %d s uncounted), load average %s%n", SECONDS + 3, loadAverage());
    List<Round> rounds = new ArrayList<>();
    for (int r = 1; r <= ROUNDS; r++) {
      String startedAt = java.time.LocalTime.now().withNano(0).toString();
      String loadBefore = loadAverage();
      List<Work> singleWork = new ArrayList<>();
      // The three instances sit idle while the one is measured: what they spend then (heartbeats, CP
      // sessions, positions, timers) is spent whatever the writes, and is part of their CPU a write.
      List<InstanceWork> idleBefore = snapshots(cluster.watched(), cluster.processes());
      long idleStarted = System.nanoTime();
      Rate singleRate = writes(single, singleWork);
      List<InstanceWork> idleAfter = snapshots(cluster.watched(), cluster.processes());
      double idleSeconds = (System.nanoTime() - idleStarted) / 1e9;
      List<Work> clusterWork = new ArrayList<>();
      Rate clusterRate = writes(cluster, clusterWork);
      Round round = new Round(singleRate, singleWork.get(0), clusterRate, clusterWork.get(0));
      rounds.add(round);
      System.out.printf("round %d (%s, load average %s, then %s): writes/s one instance %.0f (p50 %.1f p99 %.1f ms),"
          + " three %.0f (p50 %.1f p99 %.1f ms): ratio %.2f%n  one instance %s%n  leader %s%n  follower %s%n"
          + "  follower %s%n", r, startedAt, loadBefore, loadAverage(), singleRate.perSecond(), singleRate.p50(),
          singleRate.p99(), clusterRate.perSecond(), clusterRate.p50(), clusterRate.p99(), round.ratio(),
          round.singleWork().lines().get(0), round.clusterWork().lines().get(0),
          round.clusterWork().lines().get(1), round.clusterWork().lines().get(2));
      System.out.printf("  three instances idle while the one was measured, CPU ms a second: leader %s; follower %s;"
          + " follower %s%n", idleAfter.get(0).idleSince(idleBefore.get(0), idleSeconds),
          idleAfter.get(1).idleSince(idleBefore.get(1), idleSeconds),
          idleAfter.get(2).idleSince(idleBefore.get(2), idleSeconds));
    }
    double single50 = median(rounds.stream().map(r -> r.single().perSecond()).toList());
    double cluster50 = median(rounds.stream().map(r -> r.cluster().perSecond()).toList());
    List<Double> ratios = rounds.stream().map(Round::ratio).sorted().toList();
    System.out.printf("writes/s over %d rounds, medians: one instance %.0f, three with one synchronous replica %.0f:"
        + " ratio %.2f (target >= 0.5); the rounds' ratios %.2f to %.2f %s%n", ROUNDS, single50, cluster50,
        cluster50 / single50, ratios.get(0), ratios.get(ratios.size() - 1),
        ratios.stream().map(x -> String.format(java.util.Locale.ROOT, "%.2f", x)).toList());
    double singleP50 = median(rounds.stream().map(r -> r.single().p50()).toList());
    double singleP99 = median(rounds.stream().map(r -> r.single().p99()).toList());
    double clusterP50 = median(rounds.stream().map(r -> r.cluster().p50()).toList());
    double clusterP99 = median(rounds.stream().map(r -> r.cluster().p99()).toList());
    System.out.printf("write latency ms (medians of the rounds), one p50 %.1f p99 %.1f, three p50 %.1f p99 %.1f:"
        + " added p50 %.1f p99 %.1f%n", singleP50, singleP99, clusterP50, clusterP99, clusterP50 - singleP50,
        clusterP99 - singleP99);
    if (READS) {
      Rate singleReads = measure(single, single.posts(), false);
      Rate clusterReads = measure(cluster, cluster.posts(), false);
      Rate singleSessionReads = measure(single, "/api/v1/auth/me", false);
      Rate clusterSessionReads = measure(cluster, "/api/v1/auth/me", false);
      System.out.printf("timeline reads/s, one instance %.0f, spread over three %.0f: ratio %.2f (target > 1)%n",
          singleReads.perSecond(), clusterReads.perSecond(), clusterReads.perSecond() / singleReads.perSecond());
      System.out.printf("session reads (auth/me)/s, one instance %.0f, spread over three %.0f: ratio %.2f%n",
          singleSessionReads.perSecond(), clusterSessionReads.perSecond(),
          clusterSessionReads.perSecond() / singleSessionReads.perSecond());
    }
  }

  private Rate writes(Kind kind, List<Work> work) throws Exception {
    return measure(List.of(kind.writeTo()), kind.device(), kind.posts(), true, kind.watched(), kind.processes(), work);
  }

  private Rate measure(Kind kind, String path, boolean write) throws Exception {
    return measure(kind.readFrom(), kind.device(), path, write, List.of(), null, new ArrayList<>());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void seed(jp.tsunagu.node.TsunaguNode node) {
    X509Certificate certificate = node.services().keys().identity().tlsCertificate();
    AccountSeeder seeder = new AccountSeeder(node.services());
    String clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    devices.add(new Seeded(seeder.createUser(new AccountSeeder.Person("ina-bench", "ina-bench@example.jp", "伊那", "太郎",
        "イナ", "タロウ", "doctor", Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows"), certificate));
  }

  private DeviceClient client(URI base, Seeded device) {
    DeviceClient client = new DeviceClient(base, device.device(), device.certificate());
    client.login("ina-bench", PASSWORD);
    return client;
  }

  private String board(URI base, Seeded device) {
    DeviceClient.Written patient = client(base, device).create("/api/v1/patients",
        CareApiTest.patient("計測", "花子", "ケイソク", "ハナコ", "1940-01-01"), () -> true);
    if (!patient.created()) {
      throw new IllegalStateException(patient.body());
    }
    return new JsonObject(patient.body()).getString("id");
  }

  /**
   * {@link #CLIENTS} devices, spread over {@code bases}, writing posts or reading {@code path} for a while,
   * adding to {@code work} what {@code watched} (instances of {@code processes}) did while the requests
   * were counted: CPU by thread group and the replication totals ({@link InstanceWork}), per request.
   */
  private Rate measure(List<URI> bases, Seeded device, String path, boolean write,
      List<InstanceProcesses.Instance> watched, InstanceProcesses processes, List<Work> work) throws Exception {
    List<DeviceClient> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(client(bases.get(c % bases.size()), device));
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicBoolean going = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (DeviceClient client : clients) {
      running.add(pool.submit(() -> {
        for (int n = 0; going.get(); n++) {
          long started = System.nanoTime();
          boolean ok;
          if (write) {
            ok = client.create(path, new JsonObject().put("category", "申し送り").put("body", "計測 " + n),
                () -> false).created();
          } else {
            ok = client.get(path).statusCode() == 200;
          }
          if (!ok) {
            throw new IllegalStateException("refused during the measurement: " + path);
          }
          if (counting.get()) {
            latencies.add(System.nanoTime() - started);
          }
        }
        return null;
      }));
    }
    Thread.sleep(3_000);
    List<InstanceWork> before = snapshots(watched, processes);
    counting.set(true);
    long started = System.nanoTime();
    Thread.sleep(SECONDS * 1_000L);
    counting.set(false);
    double elapsed = (System.nanoTime() - started) / 1e9;
    int requests = latencies.size();
    List<InstanceWork> after = snapshots(watched, processes);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      lines.add(after.get(i).since(before.get(i), requests));
    }
    work.add(new Work(lines));
    going.set(false);
    for (Future<?> client : running) {
      client.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Rate(sorted.size() / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  private static List<InstanceWork> snapshots(List<InstanceProcesses.Instance> watched, InstanceProcesses processes) {
    List<InstanceWork> snapshots = new ArrayList<>();
    for (InstanceProcesses.Instance instance : watched) {
      snapshots.add(InstanceWork.of(pid(instance), processes.readiness(instance).orElse(new JsonObject())));
    }
    return snapshots;
  }

  /** The process of an instance: the child JVM started with its configuration file. */
  private static long pid(InstanceProcesses.Instance instance) {
    String config = instance.config().toString();
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p.pid()).contains(config))
        .findFirst().orElseThrow(() -> new IllegalStateException("no process for " + config)).pid();
  }

  /** A process's arguments as Linux keeps them (ProcessHandle's may be cut short for a long class path). */
  private static List<String> commandLine(long pid) {
    try {
      return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  private static double percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p)) / 1e6;
  }

  /** The leader killed {@link #TRIALS} times while one device writes through HAProxy; the killed one started again. */
  private List<Duration> failovers(InstanceProcesses three, Seeded seeded, String board)
      throws Exception {
    List<Duration> times = new ArrayList<>();
    DeviceClient device = client(three.proxyUrl(), seeded);
    String path = "/api/v1/patients/" + board + "/posts";
    for (int trial = 0; trial < TRIALS; trial++) {
      InstanceProcesses.Instance leader = three.awaitLeader();
      long killed = System.nanoTime();
      three.kill(leader);
      // Bounded: a failover that does not end (no CP majority, no leader) stops the run with the instances'
      // logs instead of hanging it.
      long giveUp = killed + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
      DeviceClient.Written written;
      do {
        written = device.create(path, new JsonObject().put("category", "申し送り").put("body", "交代 " + trial),
            () -> System.nanoTime() < giveUp);
        if (!written.created() && System.nanoTime() >= giveUp) {
          throw new IllegalStateException("failover " + (trial + 1) + ": no write acknowledged within "
              + GIVE_UP_SECONDS + " s of the kill (last answer " + written.status() + " " + written.body() + ")"
              + three.logs());
        }
      } while (!written.created());
      times.add(Duration.ofNanos(written.answeredNanos() - killed));
      System.out.printf("  failover %d: %d ms%n", trial + 1, times.get(trial).toMillis());
      three.restart(leader);
    }
    checkEveryFailoverWriteOnce(three);
    return times;
  }

  /**
   * Each trial's write was acknowledged: once every instance has caught up with the leader, each must
   * hold it exactly once (none lost, none doubled by a retry across the failover).
   */
  private void checkEveryFailoverWriteOnce(InstanceProcesses three) {
    InstanceProcesses.Instance leader = three.awaitLeader();
    long leaderBatch = appliedBatch(three, leader);
    for (InstanceProcesses.Instance instance : three.instances()) {
      three.waitFor(Duration.ofSeconds(60), "instance " + instance.index() + " caught up",
          () -> appliedBatch(three, instance) >= leaderBatch);
      java.util.Map<String, Long> kept = three.read(instance, c -> {
        java.util.Map<String, Long> bodies = new java.util.HashMap<>();
        try (var s = c.prepareStatement("select body, count(*) from posts where body like '交代 %' group by body");
            var rs = s.executeQuery()) {
          while (rs.next()) {
            bodies.put(rs.getString(1), rs.getLong(2));
          }
        }
        return bodies;
      });
      long lost = java.util.stream.IntStream.range(0, TRIALS).filter(t -> !kept.containsKey("交代 " + t)).count();
      long doubled = kept.values().stream().filter(n -> n > 1).count();
      System.out.printf("  instance %d: failover writes lost %d, written twice %d (of %d acknowledged)%n",
          instance.index(), lost, doubled, TRIALS);
    }
  }

  private static long appliedBatch(InstanceProcesses three, InstanceProcesses.Instance instance) {
    return three.read(instance, c -> {
      try (var rs = c.createStatement().executeQuery("select batch_id from cluster_position where id = 1")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
