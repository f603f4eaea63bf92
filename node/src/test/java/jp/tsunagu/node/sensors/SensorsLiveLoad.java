package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.storage.WorkCounts;
import jp.tsunagu.node.storage.WriterTimes;
import jp.tsunagu.node.testing.ThreadCpu;

/**
 * The benchmark's live part, at the real rate: every gateway delivers its households' minute once a
 * minute (every sensor once a minute: 833 readings/s at 10,000 households), spread over the minute.
 * (1) The timeline benchmark's mix (first timeline pages and one post write in ten, in an open loop at a
 * fixed rate, from nurses logged in as in the browser, sent from a JVM of its own: {@link TimelineGenerator})
 * is timed alone and with that ingest running, in turn ({@code bench.sensors.rounds} of each, 3; the ingest
 * paused between, not stopped): each phase's p99 and the ratio of the medians of the p99s with ingest and
 * without, in the same run (target: within 20%), so that one phase on a busier minute does not decide it. (2) While the ingest runs, probe households get
 * a reading that makes a heat alert true; the latency runs from sending that batch to the alert being in
 * the call centre's list, read when its live stream says the alerts changed (target: p99 at most 1 s).
 * (3) For each phase, the writer thread's CPU a second and the bulk lane's (the ingest's transactions)
 * per reading stored, the people's writes committed in a bulk transaction, the alerts raised by kind and
 * the load average: what the ratio is explained by on a busy machine, where its latency is noise. (4) For
 * the slowest reads of each phase and for its middle, where their time went stage by stage
 * ({@link SlowReadPaths}).
 */
final class SensorsLiveLoad {

  private static final String PASSWORD = "Ina-mimamori-2026!";
  private static final int NURSES = 4;
  private static final int BOARDS_PER_NURSE = 5;
  private static final int POSTS_PER_BOARD = 10;
  // The timeline benchmark's own open-loop rate (its bench.care.rate); lower it for a small run.
  private static final int READ_RATE = Integer.getInteger("bench.sensors.timelineRate",
      "small".equals(System.getProperty("bench.sensors.size", "full")) ? 100 : 500);
  private static final long MINUTE = 60_000;
  /** The CPU a burner takes beside the timeline for the floor's phase; 0: no such phase. */
  private static final int BURN_MS_PER_SECOND = Integer.getInteger("bench.sensors.burnMsPerSecond", 0);
  /** How many times the phase alone and the phase with the ingest run, in turn. */
  private static final int ROUNDS = Integer.getInteger("bench.sensors.rounds", 3);
  private static final int WARM_UP_SECONDS = Integer.getInteger("bench.sensors.warmUpSeconds",
      "small".equals(System.getProperty("bench.sensors.size", "full")) ? 10 : 60);

  record Nurse(CareClient client, String loginId, List<String> boards) {

    /** The time of one read of a first timeline page (nanoseconds). */
    long timelineRead() {
      long start = System.nanoTime();
      expect(client.get("/api/v1/patients/" + boards.get(0) + "/posts"), 200);
      return System.nanoTime() - start;
    }
  }

  private SensorsLiveLoad() {}

  /** A nurse with her boards, for the backlog's timeline probe when the live part does not run. */
  static Nurse nurse(TsunaguNode node) {
    return nurses(node).get(0);
  }

  /** Runs the live part; answers one of its nurses, for the backlog's timeline probe. */
  static Nurse run(TsunaguNode node, String staffId, HttpClient http, URI base, List<SensorsBenchmark.Gateway> gateways,
      SensorsBenchmark.Gateway probes, int seconds, com.icegreen.greenmail.util.GreenMail mail, int escalationProbes)
      throws Exception {
    List<Nurse> nurses = nurses(node);
    CareClient watch = watchCentre(node, staffId);
    CareClient staff = new CareClient(node, staffId);
    staff.login("ina-gyosei", PASSWORD);
    SensorsEscalationLoad escalation = SensorsEscalationLoad.prepare(node, staff, staffId, mail, escalationProbes);
    try (TimelineGenerator generator = TimelineGenerator.start(node, nurses, PASSWORD, READ_RATE);
        GatewayGenerator ingest = GatewayGenerator.start(node, gateways)) {
      run(node, http, base, probes, seconds, watch, escalation, generator, ingest);
    }
    return nurses.get(0);
  }

  private static void run(TsunaguNode node, HttpClient http, URI base, SensorsBenchmark.Gateway probes, int seconds,
      CareClient watch, SensorsEscalationLoad escalation, TimelineGenerator generator, GatewayGenerator ingest)
      throws Exception {
    // The JIT compiler needs the mix for a while before it is measured; measured first, the timeline alone
    // would otherwise carry the warm-up that the run with the ingest no longer does.
    generator.warmUp(WARM_UP_SECONDS);
    SlowReadPaths.listenToPauses();
    ConcurrentLinkedQueue<Long> alerts = new ConcurrentLinkedQueue<>();
    List<LivePhase> alonePhases = new ArrayList<>();
    List<LivePhase> withPhases = new ArrayList<>();
    List<String> households = probes.households();
    // Alone and with the ingest in turn, the ingest paused (its gateways' schedule and connections kept)
    // between: a phase on a machine that was busier for that minute decides no ratio alone.
    for (int round = 0; round < ROUNDS; round++) {
      double load = loadAverage();
      LivePhase alone = LivePhase.timed(node, generator, ingest, seconds);
      phaseLine(round, "alone", alone, load);
      alonePhases.add(alone);
      if (round == 0 && BURN_MS_PER_SECOND > 0) {
        besideBurner(generator, seconds, node.services().database().requestPaths());
      }
      ingest.deliver();
      Thread.sleep(round == 0 ? 10_000 : 5_000); // a round of batches under way
      List<String> slice = households.subList(round * households.size() / ROUNDS,
          (round + 1) * households.size() / ROUNDS);
      Thread prober = new Thread(() -> alertProbes(http, base, watch, probes, slice, seconds, alerts));
      load = loadAverage();
      prober.start();
      LivePhase with = LivePhase.timed(node, generator, ingest, seconds);
      prober.join();
      phaseLine(round, "with the ingest", with, load);
      withPhases.add(with);
      if (round < ROUNDS - 1) {
        ingest.pause();
        Thread.sleep(3_000); // the rules' look at the last batches, on the readers
      }
    }
    LivePhase alone = sum(alonePhases);
    LivePhase withIngest = sum(withPhases);
    report(alonePhases, withPhases, alone, withIngest, new ArrayList<>(alerts), households.size());
    System.out.println("  where the timeline reads' time went, by stage (ms, means of the band; all phases of a kind):");
    SlowReadPaths.report("alone", alone.reads, alone.paths);
    SlowReadPaths.report("with the ingest", withIngest.reads, withIngest.paths);
    work("alone", alone.work, alone.latencies.size(), alone.seconds);
    work("with the ingest", withIngest.work, withIngest.latencies.size(), withIngest.seconds);
    writer("alone", alone.writer, alone.stored, alone.seconds);
    writer("with the ingest", withIngest.writer, withIngest.stored, withIngest.seconds);
    System.out.printf(Locale.ROOT, "  alerts raised, alone: %s; with the ingest: %s (heat: the probes')%n",
        alone.alerts, withIngest.alerts);
    System.out.printf(Locale.ROOT, "  the ingest's steps that waited for people's requests to end: %,.0f, of which %,.0f"
        + " started after the longest wait (the whole run)%n",
        node.services().metrics().counter("tsunagu.sensors.ingest.waited").count(),
        node.services().metrics().counter("tsunagu.sensors.ingest.waitedLongest").count());
    System.out.printf(Locale.ROOT, "  load average at the end of the timeline phases: %.2f%n", loadAverage());
    // The alert probes' client shares the node's heap and collector; the nurses' and the gateways' do not.
    System.out.printf(Locale.ROOT, "  garbage collection (node and the alert probes' client, heap %d MiB): alone %s; with the ingest"
        + " %s%n", Runtime.getRuntime().maxMemory() >> 20, alone.gc.describe(alone.seconds),
        withIngest.gc.describe(withIngest.seconds));
    System.out.printf(Locale.ROOT, "  CPU ms per second by thread, alone: %s%n    with the ingest: %s%n",
        ThreadCpu.top(alone.cpuLargestFirst(), 16, alone.seconds),
        ThreadCpu.top(withIngest.cpuLargestFirst(), 16, withIngest.seconds));
    double aloneCpuPerSecond = alone.processNanos / (double) alone.seconds;
    double withCpuPerSecond = withIngest.processNanos / (double) withIngest.seconds;
    System.out.printf(Locale.ROOT, "  the process's CPU (the node and the alert probes' client), alone %.1f"
        + " ms/s, with the ingest %.1f ms/s (the burner's baseline takes the difference:"
        + " -Dbench.sensors.burnMsPerSecond); the timeline's generator in its own JVM: %.1f ms/s, %.1f ms/s;"
        + " the gateways' JVM: %.1f ms/s, %.1f ms/s; the node's CPU a reading stored beyond the phase alone:"
        + " %.1f us%n", aloneCpuPerSecond / 1e6, withCpuPerSecond / 1e6, alone.generatorNanos / 1e6 / alone.seconds,
        withIngest.generatorNanos / 1e6 / withIngest.seconds, alone.gatewaysNanos / 1e6 / alone.seconds,
        withIngest.gatewaysNanos / 1e6 / withIngest.seconds,
        (withCpuPerSecond - aloneCpuPerSecond) * withIngest.seconds / 1e3 / Math.max(1, withIngest.stored));
    // Linux keeps a thread's first 15 characters: the writer and the readers are one name, and readers do not write.
    System.out.printf(Locale.ROOT, "  written by the writer's thread (its WAL frames and the automatic checkpoints'"
        + " copies): alone %.1f KiB/s, with the ingest %.1f KiB/s; the writer's bytes a bulk transaction beyond"
        + " the phase alone: %.0f KiB%n", alone.writerBytes / 1024.0 / alone.seconds,
        withIngest.writerBytes / 1024.0 / withIngest.seconds,
        (withIngest.writerBytes - alone.writerBytes * (double) withIngest.seconds / alone.seconds) / 1024.0
            / Math.max(1, withIngest.writer.bulkTransactions()));
    // After the timeline's figures, so that watching the escalations does not weigh on them; the ingest runs on.
    escalation.run(http, base, seconds / 2);
  }

  private static LivePhase sum(List<LivePhase> phases) {
    LivePhase sum = new LivePhase();
    phases.forEach(sum::add);
    return sum;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void phaseLine(int round, String kind, LivePhase phase, double loadBefore) {
    // The time of day ends the line: where the phase lies in a flight recording of the run.
    System.out.printf(Locale.ROOT, "  round %d, timeline %s: %,d reads, p50 %.1f ms, p99 %.1f ms; the node %.1f ms/s"
        + " of CPU, %,.0f readings stored; load average %.2f -> %.2f; ended %s%n", round + 1, kind, phase.latencies.size(),
        phase.p50() / 1e6, phase.p99() / 1e6, phase.processNanos / 1e6 / phase.seconds, phase.stored, loadBefore,
        loadAverage(), java.time.LocalTime.now().withNano(0));
  }

  /** The median of the phases' p99s (nanoseconds): one phase on a busier minute does not move it. */
  static double medianP99(List<LivePhase> phases) {
    List<Long> p99s = phases.stream().map(LivePhase::p99).sorted().toList();
    int n = p99s.size();
    return n % 2 == 1 ? p99s.get(n / 2) : (p99s.get(n / 2 - 1) + p99s.get(n / 2)) / 2.0;
  }

  private static void report(List<LivePhase> alonePhases, List<LivePhase> withPhases, LivePhase alone,
      LivePhase withIngest, List<Long> alerts, int probes) {
    double medianAlone = medianP99(alonePhases);
    double medianWith = medianP99(withPhases);
    System.out.printf(Locale.ROOT, "  timeline first page, open loop at %d reads/s and %d post writes/s from %d nurses,"
        + " %d phases alone and %d with the ingest at the real rate, in turn: p99 alone %s ms, with the ingest %s ms;"
        + " median p99 alone %.1f ms, with the ingest %.1f ms: ratio of the medians %.2f (target at most 1.20);"
        + " all reads of a kind together: alone %,d reads, p50 %.1f ms, p99 %.1f ms, with the ingest %,d reads,"
        + " p50 %.1f ms, p99 %.1f ms (ratio %.2f)%n", READ_RATE, READ_RATE / 10, NURSES, alonePhases.size(),
        withPhases.size(), p99s(alonePhases), p99s(withPhases), medianAlone / 1e6, medianWith / 1e6,
        medianWith / medianAlone, alone.latencies.size(), alone.p50() / 1e6, alone.p99() / 1e6,
        withIngest.latencies.size(), withIngest.p50() / 1e6, withIngest.p99() / 1e6,
        (double) withIngest.p99() / alone.p99());
    System.out.printf(Locale.ROOT, "  alert latency, completing reading sent to the alert in the call centre's list"
        + " (after its live stream's notice): %d of %d probes seen, p50 %.0f ms, p99 %.0f ms, max %.0f ms"
        + " (target p99 at most 1,000 ms)%n", alerts.size(), probes, SensorsBenchmark.percentile(alerts, 0.5) / 1e6,
        SensorsBenchmark.percentile(alerts, 0.99) / 1e6, SensorsBenchmark.percentile(alerts, 1.0) / 1e6);
  }

  private static String p99s(List<LivePhase> phases) {
    return phases.stream().map(p -> String.format(Locale.ROOT, "%.1f", p.p99() / 1e6))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The database work of a phase: what the ingest adds to the writer the timeline's requests share. */
  private static void work(String phase, WorkCounts work, int timelineReads, int seconds) {
    System.out.printf(Locale.ROOT, "  database work, timeline %s (%d s): %,d reads, %,d writes in %,d commits"
        + " (%.1f writes a commit, %.1f commits/s); per timeline read %.2f writes%n", phase, seconds, work.reads(),
        work.writes(), work.commits(), (double) work.writes() / Math.max(1, work.commits()),
        (double) work.commits() / seconds, (double) work.writes() / Math.max(1, timelineReads));
  }

  /**
   * The writer thread's CPU in a phase (from {@code begin} to the end of {@code commit}), the bulk lane's
   * share (the ingest's transactions) per reading stored and per transaction, and the people's writes
   * that were committed in a bulk transaction instead of after it: the ingest's cost to the writer that
   * the timeline's audit entries share, in units a busy machine does not change much.
   */
  private static void writer(String phase, WriterTimes times, double stored, int seconds) {
    System.out.printf(Locale.ROOT, "  writer, timeline %s: CPU %.1f ms/s in %,d transactions (commits %.1f ms/s);"
        + " bulk lane %,d transactions, %.1f ms/s, %,.0f readings stored: %.1f us a reading, %.0f us a transaction;"
        + " %,d interactive writes joined a bulk transaction; a bulk transaction held the writer %.0f us (its"
        + " commit %.0f us); a commit took %.0f us on average%n", phase, times.transactionCpuNanos() / 1e6 / seconds,
        times.transactions(), times.commitCpuNanos() / 1e6 / seconds, times.bulkTransactions(),
        times.bulkCpuNanos() / 1e6 / seconds, stored, times.bulkCpuNanos() / 1e3 / Math.max(1, stored),
        times.bulkCpuNanos() / 1e3 / Math.max(1, times.bulkTransactions()), times.joinedWrites(),
        times.bulkNanos() / 1e3 / Math.max(1, times.bulkTransactions()),
        times.bulkCommitNanos() / 1e3 / Math.max(1, times.bulkTransactions()),
        times.commitNanos() / 1e3 / Math.max(1, times.transactions()));
  }

  /**
   * The floor the ingest is measured against: the same mix beside threads that only burn the CPU the
   * ingest adds ({@link #BURN_MS_PER_SECOND}, from a run before), in as many bursts a second as the
   * gateways' batches, each burst over two threads: what any work of that size on the two cores costs the
   * timeline. Prints its p99 and its slowest reads' stages.
   */
  private static void besideBurner(TimelineGenerator generator, int seconds,
      jp.tsunagu.node.storage.RequestPaths paths) throws Exception {
    AtomicBoolean burning = new AtomicBoolean(true);
    int bursts = 17;
    long burstNanos = BURN_MS_PER_SECOND * 1_000_000L / bursts / 2;
    List<Thread> burners = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread burner = new Thread(() -> {
        long next = System.nanoTime();
        while (burning.get()) {
          long until = System.nanoTime() + burstNanos;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          next += 1_000_000_000L / bursts;
          LockSupport.parkNanos(next - System.nanoTime());
        }
      }, "bench-cpu-burner");
      burner.setDaemon(true);
      burner.start();
      burners.add(burner);
    }
    List<SlowReadPaths.ClientRead> reads = new ArrayList<>();
    long cpu = LivePhase.processCpu();
    paths.start();
    List<Long> latencies = generator.timed(seconds, reads);
    Map<String, jp.tsunagu.node.storage.RequestPaths.Path> recorded = paths.stop();
    cpu = LivePhase.processCpu() - cpu;
    burning.set(false);
    for (Thread burner : burners) {
      burner.join();
    }
    System.out.printf(Locale.ROOT, "  timeline first page beside a CPU burner of %d ms/s (the process %.1f ms/s):"
        + " %,d reads, p50 %.1f ms, p99 %.1f ms%n", BURN_MS_PER_SECOND, cpu / 1e6 / seconds, latencies.size(),
        SensorsBenchmark.percentile(latencies, 0.5) / 1e6, SensorsBenchmark.percentile(latencies, 0.99) / 1e6);
    SlowReadPaths.report("beside the burner", reads, recorded);
  }

  /**
   * One probe household after another gets a room reading of 35 ℃ and 80 %: the batch that makes its
   * heat alert true. The call centre's live stream is read on its own thread; at each notice the list is
   * read and every probe now in it is timed from when its batch was sent.
   */
  private static void alertProbes(HttpClient http, URI base, CareClient watch, SensorsBenchmark.Gateway probes,
      List<String> households, int seconds, ConcurrentLinkedQueue<Long> latencies) {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    HttpResponse<java.util.stream.Stream<String>> stream = watch.stream("/api/v1/sensors/alerts/live");
    Thread listener = new Thread(() -> {
      try {
        stream.body().filter(line -> line.startsWith("event: alerts")).forEach(line -> {
          long now = System.nanoTime();
          for (Object alert : watch.get("/api/v1/sensors/alerts").json().getJsonArray("alerts", new JsonArray())) {
            String household = ((JsonObject) alert).getString("householdId");
            Long at = sent.get(household);
            if (at != null && seen.putIfAbsent(household, true) == null) {
              latencies.add(now - at);
            }
          }
          if (done.get() && seen.size() == sent.size()) {
            throw new StopReading();
          }
        });
      } catch (StopReading | java.io.UncheckedIOException e) {
        // the probes are over, or the stream was closed
      }
    });
    listener.setDaemon(true);
    listener.start();
    long gap = Math.max(200, seconds * 1000L / Math.max(1, households.size()));
    for (String household : households) {
      long minute = System.currentTimeMillis() / MINUTE;
      GatewayBatch.Reading hot = new GatewayBatch.Reading(household + "-room", minute, System.currentTimeMillis(),
          "climate", BigDecimal.valueOf(350, 1), BigDecimal.valueOf(800, 1), 80);
      sent.put(household, System.nanoTime());
      SensorsBenchmark.post(http, base, probes, List.of(hot));
      try {
        Thread.sleep(gap - ThreadLocalRandom.current().nextLong(gap / 2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    done.set(true);
    try {
      listener.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class StopReading extends RuntimeException {
    StopReading() {
      super(null, null, false, false);
    }
  }

  private static void expect(CareClient.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("the timeline mix got " + reply.status() + ": " + reply.body());
    }
  }

  /** Nurses of one station, each on the team of her own patients, whose timelines hold a few posts. */
  private static List<Nurse> nurses(TsunaguNode node) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那ベンチマーク訪問看護ステーション", "202096", "長野県", "訪問看護");
    List<Nurse> nurses = new ArrayList<>();
    for (int n = 0; n < NURSES; n++) {
      String login = "ina-bench-kango" + n;
      String id = seeder.createUser(new AccountSeeder.Person(login, login + "@ina.example.jp", "伊那", "看子", "イナ",
          "カンコ", "nurse", Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows").userId();
      CareClient client = new CareClient(node, id);
      client.login(login, PASSWORD);
      List<String> boards = new ArrayList<>();
      for (int b = 0; b < BOARDS_PER_NURSE; b++) {
        CareClient.Reply patient = client.post("/api/v1/patients", CallCentreBed.patient("春日", "八重")
            .put("birthDate", java.time.LocalDate.of(1930 + b, 1 + n, 1).toString()));
        expect(patient, 201);
        String board = patient.json().getString("id");
        for (int p = 0; p < POSTS_PER_BOARD; p++) {
          expect(client.post("/api/v1/patients/" + board + "/posts", SensorsTimelineLoad.post()), 201);
        }
        boards.add(board);
      }
      nurses.add(new Nurse(client, login, boards));
    }
    return nurses;
  }

  /** A 見守りセンター operator, created by 行政 as on the screen, logged in. */
  private static CareClient watchCentre(TsunaguNode node, String staffId) {
    CareClient staff = new CareClient(node, staffId);
    staff.login("ina-gyosei", PASSWORD);
    CareClient.Reply created = staff.post("/api/v1/municipal/accounts", new JsonObject().put("role", "watch_centre")
        .put("familyName", "見守").put("givenName", "花子").put("familyKana", "ミマモリ").put("givenKana", "ハナコ")
        .put("email", "mimamori@ina.example.jp").put("loginId", "ina-mimamori").put("deviceType", "windows")
        .put("delivery", "hand"));
    expect(created, 201);
    CareClient watch = new CareClient(node, created.json().getJsonObject("user").getString("id"));
    watch.login("ina-mimamori", created.json().getJsonObject("credentials").getString("initialPassword"));
    return watch;
  }
}
