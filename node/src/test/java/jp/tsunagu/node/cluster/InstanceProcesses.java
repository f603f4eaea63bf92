package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.testing.TestPorts.freePort;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;

/**
 * One node run as instances in separate JVMs on loopback ({@code java -cp <this class path> NodeMain
 * serve --config FILE}), with the real HAProxy in TCP mode in front of their web listeners, as an
 * operator runs them: each instance has its own data directory and ports, all share the node's one
 * identity. An instance can be killed ({@code kill -9}), paused ({@code SIGSTOP}), resumed and
 * started again on the same directory and ports. Each instance's output goes to a log file in the
 * test's directory ({@link #logs()} for a failure's message).
 *
 * <p>The accounts the tests use are made before the cluster first starts: on instance 0's data
 * directory as a single instance (in this JVM), whose stopped directory is then copied to the other
 * instances, so every instance starts from the same database.
 */
final class InstanceProcesses implements AutoCloseable {

  private static final String NETWORK = "ina";
  private static final Duration READY = Duration.ofSeconds(180);

  /** One instance's fixed ports and files. */
  record Instance(int index, int hazelcast, int eventBus, int web, int federation, int admin, Path dataDir,
      Path config, Path log) {
    URI webUrl() {
      return URI.create("https://127.0.0.1:" + web);
    }

    URI adminUrl() {
      return URI.create("http://127.0.0.1:" + admin);
    }
  }

  private final Path dir;
  private final List<Instance> instances = new ArrayList<>();
  private final Process[] processes;
  private final int proxyWeb;
  private final int proxyFederation;
  private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process haproxy;

  /**
   * Configures {@code count} instances (clustered when {@code count > 1}) and makes the node's
   * identity and, through {@code seed} run on a single instance started in this JVM, its accounts.
   */
  InstanceProcesses(Path dir, int count, Consumer<TsunaguNode> seed) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.processes = new Process[count];
    this.proxyWeb = freePort();
    this.proxyFederation = freePort();
    List<String> members = new ArrayList<>();
    String clusterName = ClusterTestSupport.clusterName("ina-jvm");
    for (int i = 0; i < count; i++) {
      Instance instance = new Instance(i, freePort(), freePort(), freePort(), freePort(), freePort(),
          dir.resolve("instance-" + i), dir.resolve("instance-" + i + ".json"), dir.resolve("instance-" + i + ".log"));
      instances.add(instance);
      members.add("127.0.0.1:" + instance.hazelcast());
    }
    for (Instance instance : instances) {
      JsonObject json = json(instance);
      if (count > 1) {
        json.put("cluster", new JsonObject().put("name", clusterName).put("members", String.join(",", members))
            .put("host", "127.0.0.1").put("port", instance.hazelcast()).put("eventBusPort", instance.eventBus()));
      }
      Files.writeString(instance.config(), json.encodePrettily());
    }
    seed(seed);
  }

  /** Instance 0 alone, in this JVM, then its stopped data directory copied to the others. */
  private void seed(Consumer<TsunaguNode> seed) throws IOException {
    Instance first = instances.get(0);
    NodeConfig single = new ConfigLoader(name -> null).fromJson(json(first), dir);
    Files.createDirectories(single.dataDir());
    TsunaguNode node = TsunaguNode.start(single);
    try {
      seed.accept(node);
    } finally {
      node.close();
    }
    for (Instance other : instances.subList(1, instances.size())) {
      copy(first.dataDir(), other.dataDir());
    }
  }

  private JsonObject json(Instance instance) {
    JsonObject json = TestNodes.json(NETWORK).put("dataDir", instance.dataDir().toAbsolutePath().toString());
    // Browsers and partners know the node by the proxy's addresses; each instance listens on its own ports.
    json.getJsonObject("web").put("port", instance.web()).put("publicUrl", "https://127.0.0.1:" + proxyWeb);
    json.getJsonObject("federation").put("port", instance.federation())
        .put("endpoint", "https://127.0.0.1:" + proxyFederation);
    json.getJsonObject("admin").put("port", instance.admin());
    return json;
  }

  List<Instance> instances() {
    return instances;
  }

  Instance instance(int index) {
    return instances.get(index);
  }

  /** The web address of HAProxy in front of the instances. */
  URI proxyUrl() {
    return URI.create("https://127.0.0.1:" + proxyWeb);
  }

  /** Starts every instance at once (each waits for the others to form the CP group) and waits until all are ready. */
  void startAll() {
    for (Instance instance : instances) {
      launch(instance);
    }
    for (Instance instance : instances) {
      awaitReady(instance);
    }
  }

  /**
   * Starts an instance (again) on its directory and ports and waits until it and every other running
   * instance are ready: killing the next one before the one started again holds a CP seat that votes
   * in every CP group ({@code cluster.cp_seat_pending} until then) left two voters, and losing one of
   * them no majority to elect a CP leader (a failover that never ended).
   */
  void restart(Instance instance) {
    launch(instance);
    awaitReady(instance);
    awaitEveryReady();
  }

  /** Starts the JVM of an instance without waiting. */
  void launch(Instance instance) {
    if (processes[instance.index()] != null && processes[instance.index()].isAlive()) {
      throw new IllegalStateException("instance " + instance.index() + " runs already");
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xshare:auto"));
    command.addAll(extraJvmArguments(instance));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "jp.tsunagu.node.NodeMain", "serve",
        "--config", instance.config().toString()));
    try {
      Files.writeString(instance.log(), "---- start " + java.time.Instant.now() + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      processes[instance.index()] = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.log().toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start instance " + instance.index(), e);
    }
  }

  /**
   * What {@code -Dtsunagu.instances.jvmArgs} adds to every instance's JVM (space-separated; {@code {log}}
   * stands for the instance's log file without its ending), e.g. a flight recording of each instance:
   * {@code -XX:StartFlightRecording=settings=profile,filename={log}.jfr}.
   */
  private static List<String> extraJvmArguments(Instance instance) {
    String extra = System.getProperty("tsunagu.instances.jvmArgs", "").trim();
    if (extra.isEmpty()) {
      return List.of();
    }
    String log = instance.log().toString().replaceFirst("\\.log$", "");
    return java.util.Arrays.stream(extra.split("\\s+")).map(argument -> argument.replace("{log}", log)).toList();
  }

  /**
   * Waits until every running instance answers ready: the node is fully redundant again only once the one
   * started last holds a CP seat that votes in every CP group ({@code cluster.cp_seat_pending} until
   * then); killing another meanwhile could leave the CP groups without a majority.
   */
  void awaitEveryReady() {
    for (Instance instance : instances) {
      if (alive(instance)) {
        awaitReady(instance);
      }
    }
  }

  /** Waits until the instance answers ready (a follower: caught up within the readiness lag). */
  void awaitReady(Instance instance) {
    // The reasons it gave while not ready, in order, each once: what a start or a rejoin waited for.
    java.util.Set<String> reasons = new java.util.LinkedHashSet<>();
    waitFor(READY, "instance " + instance.index() + " ready", () -> {
      if (!alive(instance)) {
        throw new AssertionError("instance " + instance.index() + " exited with " + processes[instance.index()]
            .exitValue() + "\n" + logs());
      }
      Optional<JsonObject> readiness = readiness(instance);
      readiness.map(r -> r.getString("error")).ifPresent(reasons::add);
      return readiness.map(r -> r.getBoolean("ready")).orElse(false);
    });
    if (!reasons.isEmpty()) {
      System.out.println("instance " + instance.index() + " ready after " + reasons);
    }
  }

  boolean alive(Instance instance) {
    Process process = processes[instance.index()];
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no goodbye to the cluster. */
  void kill(Instance instance) {
    Process process = processes[instance.index()];
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code SIGSTOP}: the JVM stops answering anything, as in a long pause, but keeps its state. */
  void pause(Instance instance) {
    signal(instance, "-STOP");
  }

  /** {@code SIGCONT}: the paused JVM carries on where it stopped. */
  void resume(Instance instance) {
    signal(instance, "-CONT");
  }

  private void signal(Instance instance, String signal) {
    long pid = processes[instance.index()].pid();
    try {
      int exit = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " exited " + exit);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The instance's readiness: {@code ready} and, when clustered, the cluster check's data (its role,
   * the leader, its applied batch); empty when it does not answer.
   */
  Optional<JsonObject> readiness(Instance instance) {
    try {
      HttpResponse<String> answer = plain.send(HttpRequest.newBuilder(instance.adminUrl().resolve("/health/ready"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject health = new JsonObject(answer.body());
      JsonObject result = new JsonObject().put("ready", answer.statusCode() == 200);
      for (Object check : health.getJsonArray("checks", new io.vertx.core.json.JsonArray())) {
        JsonObject c = (JsonObject) check;
        if ("cluster".equals(c.getString("id")) && c.getJsonObject("data") != null) {
          result.mergeIn(c.getJsonObject("data"));
        }
      }
      return Optional.of(result);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The instance's {@code GET /admin/v1/cluster} (what {@code tsunagu-admin cluster status} shows, its
   * CP seats under {@code cp}); empty when it does not answer.
   */
  Optional<JsonObject> status(Instance instance) {
    try {
      String token = Files.readString(instance.dataDir().resolve(jp.tsunagu.node.keys.AdminToken.FILE)).trim();
      HttpResponse<String> answer = plain.send(HttpRequest.newBuilder(instance.adminUrl().resolve("/admin/v1/cluster"))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? Optional.of(new JsonObject(answer.body())) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Prints, for every running instance, the Hazelcast members it sees and the CP seats it is told of:
   * the CP members and each CP group's voters (an instance started again must appear once, with its
   * new seat, and a later single loss must leave each group two voters of three).
   */
  void printSeats(String when) {
    StringBuilder seats = new StringBuilder("CP seats " + when + ":");
    for (Instance instance : instances) {
      if (alive(instance)) {
        JsonObject status = status(instance).orElse(new JsonObject());
        seats.append("\n  instance ").append(instance.index()).append(" (hazelcast ").append(instance.hazelcast())
            .append(") members ").append(status.getValue("members")).append(" cp ").append(status.getValue("cp"));
      }
    }
    System.out.println(seats);
  }

  /** The running instance that says it leads, if one does now. */
  Optional<Instance> leader() {
    for (Instance instance : instances) {
      if (alive(instance) && readiness(instance).map(r -> "leader".equals(r.getString("role"))
          && r.getBoolean("ready")).orElse(false)) {
        return Optional.of(instance);
      }
    }
    return Optional.empty();
  }

  Instance awaitLeader() {
    waitFor(Duration.ofSeconds(90), "a leader", () -> leader().isPresent());
    return leader().orElseThrow();
  }

  /** Runs {@code query} on the instance's database file, read-only, beside the running instance. */
  <T> T read(Instance instance, SqlFunction<T> query) {
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", "1");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + instance.dataDir()
        .resolve("tsunagu.db").toAbsolutePath(), readOnly)) {
      connection.createStatement().execute("pragma busy_timeout = 10000");
      return query.apply(connection);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the database of instance " + instance.index(), e);
    }
  }

  /**
   * Gives a stopped instance a consistent copy of a running one's database, made with SQLite's online
   * backup as {@code tsunagu-admin backup create} makes it (never a file copy of a live database): the
   * operator's way back for an instance marked diverged, until an instance rebuilds itself.
   */
  void rebuildFrom(Instance source, Instance target) {
    if (alive(target)) {
      throw new IllegalStateException("instance " + target.index() + " must be stopped first");
    }
    try {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(target.dataDir().resolve("tsunagu.db" + suffix));
      }
      String copy = target.dataDir().resolve("tsunagu.db").toAbsolutePath().toString();
      // All pages in one step, as the node's own backups copy: a copy made a few pages at a time starts
      // again at every commit of the leader, and beside 32 writers on a quiet machine it never ended.
      read(source, c -> ((org.sqlite.SQLiteConnection) c).getDatabase().backup("main", copy, (remaining, total) -> {
      }, 100, 50, -1));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  interface SqlFunction<T> {
    T apply(Connection connection) throws Exception;
  }

  /**
   * HAProxy in TCP mode in front of the web and federation listeners, checking {@code /health/ready}
   * as the example does.
   */
  void startProxy() throws IOException {
    StringBuilder cfg = new StringBuilder("""
        global
            maxconn 512
        defaults
            mode tcp
            timeout connect 2s
            timeout client 60s
            timeout server 60s
            timeout check 2s
            retries 2
            option redispatch
            default-server inter 500ms fastinter 250ms downinter 250ms fall 2 rise 2 on-marked-down shutdown-sessions check-ssl verify none
        """);
    cfg.append("frontend web\n    bind 127.0.0.1:").append(proxyWeb).append("\n    default_backend web\n");
    cfg.append("backend web\n    balance roundrobin\n    option httpchk\n")
        .append("    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1:").append(proxyWeb)
        .append("\n    http-check expect status 200\n");
    for (Instance instance : instances) {
      cfg.append("    server i").append(instance.index()).append(" 127.0.0.1:").append(instance.web())
          .append(" check\n");
    }
    // The federation listener behind its own front, checked on the same instance's web readiness: TCP
    // passes the partner's mutual TLS through, so the instance still sees the partner's certificate.
    cfg.append("frontend federation\n    bind 127.0.0.1:").append(proxyFederation)
        .append("\n    default_backend federation\n");
    cfg.append("backend federation\n    balance roundrobin\n    option httpchk\n")
        .append("    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1:").append(proxyWeb)
        .append("\n    http-check expect status 200\n");
    for (Instance instance : instances) {
      cfg.append("    server i").append(instance.index()).append(" 127.0.0.1:").append(instance.federation())
          .append(" check port ").append(instance.web()).append('\n');
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg.toString());
    haproxy = new ProcessBuilder(haproxyBinary().toString(), "-db", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
  }

  /** Fails, never skips, when the proxy is not installed. */
  private static Path haproxyBinary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("haproxy is not installed: install the Debian package haproxy");
  }

  /** The tail of every instance's log, for a failure's message. */
  String logs() {
    StringBuilder all = new StringBuilder();
    for (Instance instance : instances) {
      all.append("\n==== instance ").append(instance.index()).append(" (").append(instance.log()).append(")\n");
      try {
        List<String> lines = Files.readAllLines(instance.log(), StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> all.append(l).append('\n'));
      } catch (IOException e) {
        all.append("(no log)\n");
      }
    }
    return all.toString();
  }

  /** Starts again, and waits for, every instance that is not running (after a test that failed midway). */
  void ensureRunning() {
    for (Instance instance : instances) {
      if (!alive(instance)) {
        launch(instance);
      }
    }
    for (Instance instance : instances) {
      awaitReady(instance);
    }
  }

  /**
   * Stops the proxy and every instance at once (a power cut: the CP group cannot leave one by one),
   * and keeps the instances' logs in the build's directory, where they outlive the test's.
   */
  @Override
  public void close() {
    try {
      Path kept = Path.of("target", "cluster-instance-logs", dir.getFileName().toString());
      Files.createDirectories(kept);
      for (Instance instance : instances) {
        if (Files.exists(instance.log())) {
          Files.copy(instance.log(), kept.resolve(instance.log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      // the logs are a help, not the test
    }
    if (haproxy != null) {
      haproxy.destroyForcibly();
    }
    for (int i = 0; i < processes.length; i++) {
      Process process = processes[i];
      if (process != null && process.isAlive()) {
        signal(instances.get(i), "-CONT");
        process.destroyForcibly();
      }
    }
    for (Process process : processes) {
      if (process != null) {
        try {
          process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  void waitFor(Duration limit, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + limit.toSeconds() + " s: " + what + logs());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

}
