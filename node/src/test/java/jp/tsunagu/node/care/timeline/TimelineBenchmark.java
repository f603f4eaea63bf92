package jp.tsunagu.node.care.timeline;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import jp.tsunagu.node.TsunaguNode;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.CareDataSet;

/**
 * The care core at the scale of the whole real service on one node (issue 5): 19,000
 * professionals, 31,000 patients and 3,000,000 posts, loaded by {@link CareDataSet}. Logged-in
 * professionals (device certificate + password, over real TLS) then read the first timeline page
 * of their patients and write posts, against {@code GET /api/v1/auth/me}, a trivial authenticated
 * endpoint measured in the same run; {@link TimelineLoad} says what is measured.
 *
 * <p>The node runs in this process, the load generator in a child process on the same machine, so
 * that the node's CPU time per request can be told apart from the generator's.
 *
 * <p>System properties: {@code bench.care.scale} (1.0 is the full service; 0.01 is a quick run),
 * {@code bench.care.rounds} (3), {@code bench.care.seconds} (10 per measurement),
 * {@code bench.care.warmup} (20 s of timeline reads, then half that of the trivial endpoint and a
 * quarter of post writes, before anything is measured: the JIT compiler needs them on a busy machine),
 * {@code bench.care.rate} (500 timeline reads/s in the open loop), {@code bench.care.dir} (a
 * directory to keep the loaded node in and reuse on the next run at the same scale),
 * {@code bench.care.only} ({@code trivial}, {@code timeline}, {@code uncached} or {@code write}: that one closed loop,
 * for profiling; {@code mixed}: the open loop alone), {@code bench.care.openWarmup} (5 s of the open loop, unmeasured,
 * before it is measured: its clients' extra connections are opened then). Run with {@code mvn -B -q -pl node -am -Pbench verify -DskipTests} (all node
 * benchmarks).
 */
public final class TimelineBenchmark {

  static final String PASSWORD = "Higashi-mikawa-2025!";
  private static final String NETWORK = "higashi-mikawa";
  private static final int CLIENTS = 32;
  private static final String[] CLIENT_PROFESSIONS = {"doctor", "visiting_nurse", "care_manager", "home_helper"};

  private TimelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = Double.parseDouble(System.getProperty("bench.care.scale", "1"));
    Path dir = Optional.ofNullable(System.getProperty("bench.care.dir")).filter(d -> !d.isBlank()).map(Path::of)
        .orElseGet(() -> temp("tsunagu-care-bench-"));
    Files.createDirectories(dir);
    // The data set is the benchmark's own and made again at will: a newer schema migrates it in
    // place, without the copy a node keeps of real records before migrating them.
    NodeConfig config = new ConfigLoader(name -> null).fromJson(TestNodes.json(NETWORK)
        .put("storage", new JsonObject().put("backupBeforeMigration", "off")), dir);
    Path people = prepare(config, dir, scale);
    try (TsunaguNode node = TsunaguNode.start(config)) {
      System.out.printf(Locale.ROOT, "Tsunagu care timeline benchmark (%d cores, node %s serving %s, scale %s)%n",
          Runtime.getRuntime().availableProcessors(), config.node().name(), config.node().municipalities().stream()
              .map(code -> ReferenceData.get().municipality(code).map(m -> m.nameJa()).orElse(code)).toList(), scale);
      Path certificate = dir.resolve("node-certificate.pem");
      Files.writeString(certificate, node.services().keys().webCertificatePem());
      int exit = generate(node, certificate, people);
      if (exit != 0) {
        throw new IllegalStateException("the load generator failed with exit code " + exit);
      }
    }
    System.exit(0);
  }

  /**
   * Runs {@link TimelineLoad} in a child JVM and passes its report through; around each
   * measurement it reports ({@code BEGIN name} … {@code END name count}) the node's own CPU time
   * per request is added.
   */
  private static int generate(TsunaguNode node, Path certificate, Path people) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("bench.care.")) {
        command.add("-D" + key + "=" + System.getProperty(key));
      }
    }
    command.addAll(List.of(TimelineLoad.class.getName(), String.valueOf(node.webPort()), certificate.toString(),
        people.toString()));
    Process generator = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long cpuAtBegin = 0;
    double cachedAtBegin = 0;
    double readAtBegin = 0;
    jdk.jfr.Recording recording = null;
    RequestCosts costs = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(generator.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("BEGIN ")) {
          cpuAtBegin = processCpuNanos();
          cachedAtBegin = firstPages(node, "cache");
          readAtBegin = firstPages(node, "database");
          recording = profile(line.substring("BEGIN ".length()));
          costs = RequestCosts.begin(node);
        } else if (line.startsWith("END ")) {
          String[] parts = line.split(" ");
          long requests = Long.parseLong(parts[2]);
          String perRequest = costs == null ? "" : costs.perRequest(requests);
          String sampled = "";
          if (recording != null) {
            Path file = Path.of(System.getProperty("bench.care.jfr"));
            recording.dump(file);
            recording.close();
            recording = null;
            sampled = RequestCosts.sampled(file);
          }
          double cached = firstPages(node, "cache") - cachedAtBegin;
          double read = firstPages(node, "database") - readAtBegin;
          System.out.printf(Locale.ROOT, "%45s node cpu %5.0f us/req%s%n", "",
              requests == 0 ? 0 : (processCpuNanos() - cpuAtBegin) / 1e3 / requests,
              cached + read == 0 ? "" : String.format(Locale.ROOT, "   first pages: %.0f from the timeline cache,"
                  + " %.0f read from the database", cached, read));
          System.out.printf(Locale.ROOT, "%45s %s%n%s", "", perRequest, sampled);
        } else {
          System.out.println(line);
        }
      }
    }
    return generator.waitFor();
  }

  /**
   * With {@code bench.care.jfr=FILE} (and {@code bench.care.jfrSettings}, a .jfc file, "profile" by
   * default), the node's side of the measurement named by {@code bench.care.only} is recorded
   * with Java Flight Recorder.
   */
  private static jdk.jfr.Recording profile(String measurement) throws Exception {
    if (System.getProperty("bench.care.jfr") == null || !measurement.equals(System.getProperty("bench.care.only"))) {
      return null;
    }
    String settings = System.getProperty("bench.care.jfrSettings", "profile");
    jdk.jfr.Recording recording = new jdk.jfr.Recording(settings.endsWith(".jfc")
        ? jdk.jfr.Configuration.create(Path.of(settings)) : jdk.jfr.Configuration.getConfiguration(settings));
    recording.start();
    return recording;
  }

  /** First timeline pages the node has answered from the given source (the node's own metric). */
  private static double firstPages(TsunaguNode node, String source) {
    var counter = node.services().metrics().find("tsunagu.timeline.first_pages").tag("source", source).counter();
    return counter == null ? 0 : counter.count();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Creates the logged-in professionals through the node (real device certificates and password
   * hashes), then loads the data set into the stopped node's file, and returns the file that
   * hands the generator their credentials and patients. A directory already holding a data set of
   * this scale is reused as it is.
   */
  public static Path prepare(NodeConfig config, Path dir, double scale) throws Exception {
    Path people = dir.resolve("care-bench-" + scale + ".properties");
    if (Files.exists(people)) {
      System.out.println("reusing the data set in " + dir);
      return people;
    }
    List<AccountSeeder.Created> created = new ArrayList<>();
    List<String> logins = new ArrayList<>();
    List<CareDataSet.ExistingUser> existing = new ArrayList<>();
    String passwordHash;
    try (TsunaguNode node = TsunaguNode.start(config)) {
      AccountSeeder seeder = new AccountSeeder(node.services());
      String code = config.node().municipalities().get(0);
      for (int i = 0; i < CLIENTS; i++) {
        String profession = CLIENT_PROFESSIONS[i % CLIENT_PROFESSIONS.length];
        String facilityName = "豊橋負荷試験" + (i + 1) + "事業所";
        String facility = seeder.createFacility(facilityName, code, "愛知県", "clinic");
        String loginId = "loadgen" + i;
        created.add(seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", "負荷", "太郎" + i,
            "フカ", "タロウ", profession, Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows"));
        logins.add(loginId);
        existing.add(new CareDataSet.ExistingUser(created.get(i).userId(), profession, "負荷 太郎" + i, facilityName));
      }
      passwordHash = node.services().database().submitRead(c -> {
        try (PreparedStatement s = c.prepareStatement("select password_hash from users where id = ?")) {
          s.setString(1, created.get(0).userId());
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        }
      }).get();
    }
    long started = System.nanoTime();
    CareDataSet.Loaded loaded = new CareDataSet(7, scale, config.node().municipalities(), Instant.now(), passwordHash)
        .load(config.databaseFile(), existing);
    System.out.printf(Locale.ROOT, "loaded %,d professionals, %,d patients, %,d posts, %,d read receipts in %.0f s%n",
        loaded.professionals(), loaded.patients(), loaded.posts(), loaded.reads(), (System.nanoTime() - started) / 1e9);
    Properties p = new Properties();
    for (int i = 0; i < created.size(); i++) {
      p.setProperty(i + ".login", logins.get(i));
      p.setProperty(i + ".pkcs12", Base64.getEncoder().encodeToString(created.get(i).pkcs12()));
      p.setProperty(i + ".pkcs12Password", created.get(i).certificatePassword());
      p.setProperty(i + ".boards", String.join(",", fullPages(config.databaseFile(),
          loaded.boardsOfExisting().get(i))));
    }
    try (var out = Files.newOutputStream(people)) {
      p.store(out, "care timeline benchmark: the logged-in professionals of this data set and their patients");
    }
    return people;
  }

  /** The boards whose first page is a full 50 posts (the figure the issue asks for). */
  private static List<String> fullPages(Path database, List<String> boards) throws Exception {
    List<String> full = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        PreparedStatement s = c.prepareStatement("select count(*) >= 50 from posts where board_id = ? and direct = 0")) {
      for (String board : boards) {
        s.setString(1, board);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getInt(1) == 1) {
            full.add(board);
          }
        }
      }
    }
    return full.isEmpty() ? boards : full;
  }

  private static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
