package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.federation.sensors.SensorSimulator;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;

/**
 * The figures issue 20 names for the ingest, on one 伊那市 node: {@code bench.sensors.households}
 * households (10,000) of five sensors each on {@code bench.sensors.gateways} gateways (1,000), one
 * reading per sensor per minute (about 833 readings/s sustained). (1) Ingest throughput of
 * {@code bench.sensors.minutes} minutes of every household's readings, one signed batch per gateway
 * and minute over HTTPS, against a plain batched SQLite insert of the same rows into the same table
 * (WAL, synchronous=FULL, 5,000 rows a transaction); (2) every gateway delivering
 * {@code bench.sensors.backlogHours} hours (24) of backlog at once: the time to catch up, while a
 * trivial endpoint ({@code GET /api/v1/node}) and a nurse's first timeline page keep answering, their p99
 * against the same requests idle;
 * (3) the database's bytes per household per day, at the benchmark's load and with the simulator's
 * daily life (doors report events only). First, at the real rate ({@link SensorsLiveLoad}): the timeline's
 * p99 with the ingest running against without it (and the database work of each), the latency from the
 * reading that makes an alert true to the alert on the call centre's screen, and, for alerts nobody
 * answers, the delay past the configured minutes to the escalation on the care manager's list and the
 * mails at a real SMTP server ({@link SensorsEscalationLoad}). Run with
 * {@code mvn -B -q -pl node -Pbench exec:exec@sensors-benchmark}: the full size by default; a small run
 * with {@code -Dbench.sensors.size=small} (500 households on 50 gateways, 2 hours of backlog, a minute per
 * live measurement); each figure can still be set alone. At full size it stores some 72 million readings:
 * several GB in the temporary directory, and takes the better part of an hour.
 */
public final class SensorsBenchmark {

  private static final boolean SMALL = "small".equals(System.getProperty("bench.sensors.size", "full"));
  // Integer.getInteger answers the default for an empty property too, as the bench profile passes when unset.
  private static final int HOUSEHOLDS = Integer.getInteger("bench.sensors.households", SMALL ? 500 : 10_000);
  private static final int GATEWAYS = Integer.getInteger("bench.sensors.gateways", SMALL ? 50 : 1_000);
  private static final int MINUTES = Integer.getInteger("bench.sensors.minutes", 10);
  private static final int BACKLOG_HOURS = Integer.getInteger("bench.sensors.backlogHours", SMALL ? 2 : 24);
  private static final int LIVE_SECONDS = Integer.getInteger("bench.sensors.liveSeconds", SMALL ? 60 : 180);
  private static final int ALERT_PROBES = Integer.getInteger("bench.sensors.alertProbes", SMALL ? 60 : 150);
  private static final int ESCALATION_PROBES = Integer.getInteger("bench.sensors.escalationProbes", SMALL ? 20 : 40);
  /**
   * Which parts run ({@code bench.sensors.parts}, comma-separated; all when unset): {@code live} (the
   * real rate with the timeline mix, alerts and escalations), {@code throughput}, {@code backlog},
   * {@code size} (bytes per household and day with daily life). The backlog alone takes minutes less
   * to start than after the live part.
   */
  private static final java.util.Set<String> PARTS = parts(System.getProperty("bench.sensors.parts", ""));
  /** The backlog's length in minutes, when a run wants a fraction of its hours (a tenth of a day: 144). */
  private static final int BACKLOG_MINUTES = Integer.getInteger("bench.sensors.backlogMinutes", BACKLOG_HOURS * 60);
  /** How often the backlog prints where it is. */
  private static final int PROGRESS_SECONDS = Integer.getInteger("bench.sensors.progressSeconds", 30);
  /**
   * The node's {@code sensors.peopleFirstMs} ({@code bench.sensors.peopleFirstMs}; unset: the node's default),
   * so that a run with the ingest's waits and one without (0) can be compared.
   */
  private static final Integer PEOPLE_FIRST_MS = Integer.getInteger("bench.sensors.peopleFirstMs");
  private static final int SENDERS = 16;
  static final int MAX_READINGS = 5_000;
  private static final int REALISTIC_HOUSEHOLDS = 100;
  private static final long MINUTE = 60_000;
  static final String[] PLACES = {"entrance", "fridge", "bathroom", "toilet", "room"};

  record Gateway(String id, SigningKey key, List<String> households) {}

  record Task(Gateway gateway, long fromMinute, long toMinute) {}

  private SensorsBenchmark() {}

  private static java.util.Set<String> parts(String property) {
    java.util.Set<String> all = java.util.Set.of("live", "throughput", "backlog", "size");
    if (property.isBlank()) {
      return all;
    }
    java.util.Set<String> chosen = new java.util.HashSet<>();
    for (String part : property.split(",")) {
      if (!all.contains(part.strip())) {
        throw new IllegalArgumentException("bench.sensors.parts: " + part + " is not one of " + all);
      }
      chosen.add(part.strip());
    }
    return chosen;
  }

  public static void main(String[] args) throws Exception {
    if (!Boolean.getBoolean("bench.sensors.accessLog")) {
      // A line to stderr for every request (some 550 a second in the live part) is work the node's threads
      // do for the terminal, not for the requests; a node in service logs to a collector.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tsunagu.access"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Path dir = Files.createTempDirectory("tsunagu-sensors-bench-");
    // A real SMTP server takes the escalations' mails; alerts escalate after the smallest setting, a minute.
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    // Demo settings: the live part's nurses and call-centre operator log in from loopback as the tests do,
    // without a device certificate each.
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina")
        .put("mail", new JsonObject().put("host", "127.0.0.1").put("port", mail.getSmtp().getPort())
            .put("startTls", "disabled").put("from", "tsunagu@ina.example.jp"))
        .put("sensors", sensorSettings()), dir).asDemo());
    try {
      System.out.printf(Locale.ROOT, "Tsunagu watch-sensor ingest benchmark (%d cores, %,d households, %,d gateways,"
          + " %,d readings/s at one a minute per sensor; the ingest waits at most %d ms a step for people's"
          + " requests)%n", Runtime.getRuntime().availableProcessors(), HOUSEHOLDS, GATEWAYS, HOUSEHOLDS * 5L / 60,
          node.services().config().sensors().peopleFirstMs());
      String staff = new AccountSeeder(node.services()).createUser(new AccountSeeder.Person("ina-gyosei",
          "gyosei@ina.example.jp", "伊那", "花子", "イナ", "ハナコ", "municipal_staff", Role.MUNICIPAL_STAFF,
          java.util.Optional.empty()), "Ina-mimamori-2026!", "windows").userId();
      System.out.printf(Locale.ROOT, "  parts: %s; backlog %,d minutes%n", new java.util.TreeSet<>(PARTS),
          BACKLOG_MINUTES);
      List<Gateway> gateways = seed(node, staff, GATEWAYS, HOUSEHOLDS, "b");
      HttpClient http = HttpClient.newBuilder().sslContext(TestHttp.trusting(
          node.services().keys().identity().tlsCertificate())).connectTimeout(Duration.ofSeconds(10)).build();
      URI base = node.webUrl();
      long nowMinute = System.currentTimeMillis() / MINUTE;
      SensorsLiveLoad.Nurse nurse = PARTS.contains("live")
          ? SensorsLiveLoad.run(node, staff, http, base, gateways, seed(node, staff, 1, ALERT_PROBES, "a").get(0),
              LIVE_SECONDS, mail, ESCALATION_PROBES)
          : SensorsLiveLoad.nurse(node);
      if (PARTS.contains("throughput")) {
        // Warm-up (connections, compiled code), then the measured run on minutes not sent before.
        send(http, base, tasks(gateways, nowMinute - BACKLOG_MINUTES - 2 * MINUTES - 60, MINUTES));
        throughput(node, http, base, gateways, nowMinute - BACKLOG_MINUTES - MINUTES - 60);
      }
      long perHouseholdDay = -1;
      if (PARTS.contains("backlog")) {
        long idleP99 = probeIdle(http, base);
        List<Long> timelineIdle = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          timelineIdle.add(nurse.timelineRead());
        }
        long before = databaseBytes(node);
        SensorsBacklog.run(node, http, base, gateways, nowMinute - BACKLOG_MINUTES, nowMinute, idleP99, nurse,
            percentile(timelineIdle, 0.99), PROGRESS_SECONDS);
        perHouseholdDay = (databaseBytes(node) - before) * 1440 / BACKLOG_MINUTES / HOUSEHOLDS;
      }
      if (PARTS.contains("size")) {
        realistic(node, staff, http, base, perHouseholdDay);
      }
    } finally {
      node.close();
      mail.stop();
    }
    System.exit(0);
  }

  /** Alerts escalate after the smallest setting, a minute; the ingest's longest wait as asked. */
  private static JsonObject sensorSettings() {
    JsonObject sensors = new JsonObject().put("escalateAfterMinutes", SensorsEscalationLoad.AFTER_MINUTES);
    return PEOPLE_FIRST_MS == null ? sensors : sensors.put("peopleFirstMs", PEOPLE_FIRST_MS);
  }

  /** Gateways with their keys and households with five devices each, written as enrolment would. */
  private static List<Gateway> seed(TsunaguNode node, String staff, int gatewayCount, int householdCount,
      String prefix) {
    List<Gateway> gateways = new ArrayList<>();
    for (int g = 0; g < gatewayCount; g++) {
      gateways.add(new Gateway(prefix + "gw-" + g, SigningKey.generate(), new ArrayList<>()));
    }
    for (int h = 0; h < householdCount; h++) {
      gateways.get(h % gatewayCount).households().add(prefix + "hh-" + h);
    }
    String now = Instant.now().toString();
    node.services().database().submitWrite(c -> {
      try (PreparedStatement g = c.prepareStatement("insert into sensor_gateways (id, name, provider, public_key, status,"
          + " rate_per_minute, issued_by, issued_at) values (?, ?, 'ベンチマーク', ?, 'active', 600, ?, ?)");
          PreparedStatement h = c.prepareStatement("insert into sensor_households (id, register_person_key,"
              + " resident_name, address, district, phone, status, consent_by, consent_relation, consent_at,"
              + " enrolled_by, enrolled_at) values (?, ?, '試験 太郎', '伊那市荒井1-1', '伊那', '0265-00-0000', 'active',"
              + " '試験 太郎', '本人', ?, ?, ?)");
          PreparedStatement d = c.prepareStatement("insert into sensor_devices (id, household_id, gateway_id, place,"
              + " kind) values (?, ?, ?, ?, ?)")) {
        for (Gateway gateway : gateways) {
          g.setString(1, gateway.id());
          g.setString(2, gateway.id());
          g.setString(3, new JsonObject(gateway.key().verificationKey().toJson()).encode());
          g.setString(4, staff);
          g.setString(5, now);
          g.executeUpdate();
          for (String household : gateway.households()) {
            h.setString(1, household);
            h.setString(2, "person-" + household);
            h.setString(3, now);
            h.setString(4, staff);
            h.setString(5, now);
            h.executeUpdate();
            for (String place : PLACES) {
              d.setString(1, household + "-" + place);
              d.setString(2, household);
              d.setString(3, gateway.id());
              d.setString(4, place);
              d.setString(5, place.equals("room") ? "climate" : "door");
              d.executeUpdate();
            }
          }
        }
      }
      return null;
    }).join();
    return gateways;
  }

  /** The benchmark's load: every sensor once a minute (doors alternate open and close). */
  static List<GatewayBatch.Reading> readings(Gateway gateway, long fromMinute, long toMinute) {
    List<GatewayBatch.Reading> readings = new ArrayList<>();
    for (long minute = fromMinute; minute < toMinute; minute++) {
      for (String household : gateway.households()) {
        for (int p = 0; p < 4; p++) {
          readings.add(new GatewayBatch.Reading(household + "-" + PLACES[p], minute, minute * MINUTE + p * 1_000,
              minute % 2 == 0 ? "open" : "close", null, null, 90));
        }
        readings.add(new GatewayBatch.Reading(household + "-room", minute, minute * MINUTE + 5_000, "climate",
            BigDecimal.valueOf(200 + minute % 60, 1), BigDecimal.valueOf(500 + minute % 100, 1), 80));
      }
    }
    return readings;
  }

  private static void throughput(TsunaguNode node, HttpClient http, URI base, List<Gateway> gateways,
      long fromMinute) throws Exception {
    List<Task> tasks = tasks(gateways, fromMinute, MINUTES);
    long start = System.nanoTime();
    long readings = send(http, base, tasks);
    double seconds = (System.nanoTime() - start) / 1e9;
    double ingest = readings / seconds;
    List<Object[]> rows = new ArrayList<>();
    // The same integer keys the node gives devices and households, numbered as they first appear.
    java.util.Map<String, Integer> keys = new java.util.HashMap<>();
    for (Task task : tasks) {
      for (GatewayBatch.Reading r : readings(task.gateway(), task.fromMinute(), task.toMinute())) {
        int device = keys.computeIfAbsent(r.device(), k -> keys.size() + 1);
        int household = keys.computeIfAbsent(r.device().substring(0, r.device().lastIndexOf('-')),
            k -> keys.size() + 1);
        rows.add(new Object[] {device, r.sequence(), household, r.atMs(), ReadingSql.kindCode(r.kind()), r.temperature() == null ? null : r.temperature().movePointRight(1).intValue(),
            r.humidity() == null ? null : r.humidity().movePointRight(1).intValue(), r.battery()});
      }
    }
    double plain = plainInsert(node, rows);
    double needed = HOUSEHOLDS * 5.0 / 60;
    System.out.printf(Locale.ROOT, "  ingest, %d minutes of every household (%,d signed batches over HTTPS, %d senders):"
        + " %,d readings in %.1f s = %,.0f readings/s (%.1fx the %,.0f/s the load needs)%n", MINUTES, tasks.size(),
        SENDERS, readings, seconds, ingest, ingest / needed, needed);
    System.out.printf(Locale.ROOT, "  plain batched SQLite insert of the same rows (5,000 a transaction): %,.0f rows/s;"
        + " ingest / plain = %.2f%n", plain, ingest / plain);
  }

  /** One batch per gateway and minute, minute after minute. */
  private static List<Task> tasks(List<Gateway> gateways, long fromMinute, int minutes) {
    List<Task> tasks = new ArrayList<>();
    for (long minute = fromMinute; minute < fromMinute + minutes; minute++) {
      for (Gateway gateway : gateways) {
        tasks.add(new Task(gateway, minute, minute + 1));
      }
    }
    return tasks;
  }

  /** The same rows into the same table, in a file of its own with the node's durability settings. */
  private static double plainInsert(TsunaguNode node, List<Object[]> rows) throws Exception {
    Path file = node.services().config().dataDir().resolve("plain.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("pragma journal_mode=wal");
        s.execute("pragma synchronous=full");
        // The node's table since V280: keyed by the minute first, no index.
        s.execute("create table sensor_readings (minute integer not null, device_key integer not null,"
            + " sequence integer not null, household_key integer not null, at_ms integer not null,"
            + " kind integer not null check (kind in (0, 1, 2)), temp_deci integer, humidity_deci integer,"
            + " battery integer, received_after_s integer not null, primary key (minute, device_key, sequence))"
            + " strict, without rowid");
      }
      c.setAutoCommit(false);
      long start = System.nanoTime();
      try (PreparedStatement insert = c.prepareStatement("insert into sensor_readings values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?) on conflict do nothing")) {
        int inTransaction = 0;
        for (Object[] row : rows) {
          insert.setLong(1, Math.floorDiv((long) row[3], MINUTE));
          for (int i = 0; i < row.length; i++) {
            insert.setObject(i + 2, row[i]);
          }
          insert.setLong(10, (System.currentTimeMillis() - (long) row[3]) / 1000);
          insert.addBatch();
          if (++inTransaction == 5_000) {
            insert.executeBatch();
            c.commit();
            inTransaction = 0;
          }
        }
        insert.executeBatch();
        c.commit();
      }
      return rows.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static long probeIdle(HttpClient http, URI base) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      latencies.add(probe(http, base));
    }
    return percentile(latencies, 0.99);
  }

  /** Bytes per household and day with the simulator's daily life: climate once a minute, doors on events only. */
  private static void realistic(TsunaguNode node, String staff, HttpClient http, URI base, long benchmarkLoad)
      throws Exception {
    List<Gateway> gateways = seed(node, staff, 1, REALISTIC_HOUSEHOLDS, "r");
    long before = databaseBytes(node);
    SensorSimulator simulator = new SensorSimulator(20);
    long to = System.currentTimeMillis() / MINUTE * MINUTE;
    long readings = 0;
    for (String household : gateways.get(0).households()) {
      List<SensorSimulator.Device> devices = Arrays.stream(PLACES).map(p -> new SensorSimulator.Device(
          household + "-" + p, p, p.equals("room") ? "climate" : "door")).toList();
      List<GatewayBatch.Reading> day = simulator.between(new SensorSimulator.Household(household, devices),
          to - 24 * 60 * MINUTE, to);
      readings += day.size();
      post(http, base, gateways.get(0), day);
    }
    long realistic = (databaseBytes(node) - before) / REALISTIC_HOUSEHOLDS;
    if (benchmarkLoad >= 0) {
      System.out.printf(Locale.ROOT, "  database bytes per household per day at the benchmark's load (7,200 readings):"
          + " %,d; 90 days of raw readings for 10,000 households: %.1f GB%n", benchmarkLoad,
          benchmarkLoad * 90.0 * 10_000 / 1e9);
    }
    System.out.printf(Locale.ROOT, "  database bytes per household per day with daily life (%,d readings: climate a"
        + " minute, doors on events): %,d; 90 days of raw readings for 10,000 households: %.1f GB%n",
        readings / REALISTIC_HOUSEHOLDS, realistic, realistic * 90.0 * 10_000 / 1e9);
  }

  /** Sends the tasks' batches with {@link #SENDERS} threads; returns the readings sent. */
  static long send(HttpClient http, URI base, List<Task> tasks) throws Exception {
    ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
    AtomicLong readings = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    for (int i = 0; i < SENDERS; i++) {
      senders.execute(() -> {
        for (Task task = queue.poll(); task != null; task = queue.poll()) {
          StringBuilder body = new StringBuilder(64 * MAX_READINGS);
          int count = body(task, body);
          if (count > MAX_READINGS) {
            throw new IllegalStateException("a task of more readings than a batch takes: " + count);
          }
          post(http, base, task.gateway(), body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          readings.addAndGet(count);
        }
      });
    }
    senders.shutdown();
    if (!senders.awaitTermination(6, TimeUnit.HOURS)) {
      throw new IllegalStateException("the senders did not finish");
    }
    return readings.get();
  }

  /**
   * The task's readings ({@link #readings}, the same values) written straight as the wire format's JSON:
   * the client shares the node's machine, and a tree of maps per reading written by the general writer
   * cost it about as much CPU as the node's reading of the batch. Answers how many readings it wrote.
   */
  static int body(Task task, StringBuilder out) {
    out.append("{\"gateway\":\"").append(task.gateway().id()).append("\",\"batch\":\"b\",\"sentMs\":")
        .append(System.currentTimeMillis()).append(",\"readings\":[");
    int count = 0;
    for (long minute = task.fromMinute(); minute < task.toMinute(); minute++) {
      for (String household : task.gateway().households()) {
        for (int p = 0; p < 4; p++) {
          out.append(count++ == 0 ? "{" : ",{").append("\"device\":\"").append(household).append('-')
              .append(PLACES[p]).append("\",\"sequence\":").append(minute).append(",\"atMs\":")
              .append(minute * MINUTE + p * 1_000).append(",\"kind\":\"").append(minute % 2 == 0 ? "open" : "close")
              .append("\",\"battery\":90}");
        }
        out.append(",{\"device\":\"").append(household).append("-room\",\"sequence\":").append(minute)
            .append(",\"atMs\":").append(minute * MINUTE + 5_000).append(",\"kind\":\"climate\",\"temperature\":")
            .append(BigDecimal.valueOf(200 + minute % 60, 1).toPlainString()).append(",\"humidity\":")
            .append(BigDecimal.valueOf(500 + minute % 100, 1).toPlainString()).append(",\"battery\":80}");
        count++;
      }
    }
    out.append("]}");
    return count;
  }

  static void post(HttpClient http, URI base, Gateway gateway, List<GatewayBatch.Reading> readings) {
    for (int start = 0; start < readings.size(); start += MAX_READINGS) {
      List<GatewayBatch.Reading> part = readings.subList(start, Math.min(readings.size(), start + MAX_READINGS));
      post(http, base, gateway, GatewayBatch.body(gateway.id(), "b", System.currentTimeMillis(), part));
    }
  }

  /** The gateways' keys in the JDK's form, for {@link #signature}. */
  private static final java.util.Map<String, java.security.PrivateKey> JDK_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The batch's signature, as {@link GatewayBatch#sign} makes it (Ed25519 is deterministic: the same
   * bytes), made by the JDK's provider for a large body: its SHA-512 over a few hundred kilobytes took a
   * third of Bouncy Castle's time, and the client's signing was the largest share of the machine's CPU
   * in a backlog, which a provider's server would spend on its own machine.
   */
  static String signature(Gateway gateway, byte[] body) {
    if (body.length < 16 * 1024) {
      return GatewayBatch.sign(gateway.key(), body);
    }
    java.security.PrivateKey key = JDK_KEYS.computeIfAbsent(gateway.id(),
        id -> jp.tsunagu.federation.crypto.Ed25519.privateKey(gateway.key().privateJwk()));
    return jp.tsunagu.federation.jws.Base64Url.encode(jp.tsunagu.federation.crypto.Ed25519.sign(key, body));
  }

  /** One signed batch; anything but 200 stops the benchmark. */
  static void post(HttpClient http, URI base, Gateway gateway, byte[] body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(GatewayBatch.PATH))
        .header("Content-Type", "application/json").header(GatewayBatch.SIGNATURE_HEADER,
            signature(gateway, body)).timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("batch refused: " + answer.body());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }


  static long probe(HttpClient http, URI base) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/node")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("the trivial endpoint answered " + answer.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return System.nanoTime() - start;
  }

  static long databaseBytes(TsunaguNode node) {
    return node.services().database().submitRead(c -> {
      try (Statement s = c.createStatement(); var pages = s.executeQuery("pragma page_count")) {
        pages.next();
        long count = pages.getLong(1);
        try (var free = s.executeQuery("pragma freelist_count")) {
          free.next();
          count -= free.getLong(1);
        }
        try (var size = s.executeQuery("pragma page_size")) {
          size.next();
          return count * size.getLong(1);
        }
      }
    }).join();
  }

  static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
