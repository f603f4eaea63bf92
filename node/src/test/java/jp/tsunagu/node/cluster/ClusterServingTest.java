package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.copy;
import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every instance of a clustered node serves every request: three clustered (demo) instances of one
 * node, the real HAProxy in front. A write sent to a follower is answered exactly as the leader
 * answers it, through the proxy too; a read waits for the session's last write; a session ended, or
 * a login id locked, on one instance is so on all; a leader change while a write is on its way is a
 * retryable 503 that never writes twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterServingTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";

  @TempDir
  static Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();
  private Process haproxy;
  private int proxyWeb;
  private TsunaguNode leader;
  private List<TsunaguNode> followers;
  private String clinic;

  @BeforeAll
  void start() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      ports.add(freePort());
    }
    proxyWeb = ports.get(9);
    List<NodeConfig> configs = configs(ports);
    shareIdentity(configs);
    // A thread each: an instance's start waits for the CP group, which needs the others started too
    // (the common pool may have a single thread on a small machine).
    java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(3);
    List<CompletableFuture<TsunaguNode>> starting = new ArrayList<>();
    for (NodeConfig config : configs) {
      starting.add(CompletableFuture.supplyAsync(() -> TsunaguNode.start(config), starters));
    }
    starters.shutdown();
    for (CompletableFuture<TsunaguNode> node : starting) {
      nodes.add(node.get(420, TimeUnit.SECONDS));
    }
    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    leader = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();
    followers = nodes.stream().filter(n -> n != leader).toList();
    AccountSeeder seeder = new AccountSeeder(leader.services());
    clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    for (String login : List.of("ina-ishi01", "ina-ishi02", "ina-ishi03", "ina-ishi04")) {
      seeder.createUser(new AccountSeeder.Person(login, login + "@example.jp", "伊那", "太郎", "イナ", "タロウ",
          "doctor", Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
    }
    // Every instance has the accounts and is ready before the proxy sends it anything.
    long seeded = position(leader);
    waitFor(() -> followers.stream().allMatch(f -> position(f) >= seeded));
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, haproxyConfig());
    haproxy = new ProcessBuilder(haproxyBinary().toString(), "-db", "-f", cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
  }

  @AfterAll
  void stop() {
    if (haproxy != null) {
      haproxy.destroyForcibly();
    }
    stopAll(nodes);
  }

  @Test
  void a_write_sent_to_a_follower_is_answered_as_the_leader_answers_it_and_a_retry_on_another_writes_nothing() {
    Browser browser = new Browser();
    browser.login(followers.get(0), "ina-ishi01", PASSWORD);
    String key = UUID.randomUUID().toString();
    JsonObject patient = CareApiTest.patient("転送", "花子", "テンソウ", "ハナコ", "1941-03-02");
    HttpResponse<String> created = browser.post(followers.get(0), "/api/v1/patients", patient, key);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue(ClusterFrontDoor.BATCH_HEADER)).isPresent();
    String id = new JsonObject(created.body()).getString("id");

    // The client's retry reaches the other follower: the first answer, and still one patient.
    HttpResponse<String> retried = browser.post(followers.get(1), "/api/v1/patients", patient, key);
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(retried.body()).getString("id")).isEqualTo(id);
    assertThat(count(leader, "転送")).isEqualTo(1);

    // Read on the other follower right away: the session's write is there.
    HttpResponse<String> list = browser.get(followers.get(1), "/api/v1/patients");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains(id);
    HttpResponse<String> shown = browser.get(followers.get(1), "/api/v1/patients/" + id);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);

    // A refusal too is the leader's own: same status, same code.
    JsonObject bad = patient.copy().put("birthDate", "昭和");
    HttpResponse<String> onFollower = browser.post(followers.get(1), "/api/v1/patients", bad,
        UUID.randomUUID().toString());
    HttpResponse<String> onLeader = browser.post(leader, "/api/v1/patients", bad, UUID.randomUUID().toString());
    assertThat(onFollower.statusCode()).isEqualTo(onLeader.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(onFollower.body()).getString("code"))
        .isEqualTo(new JsonObject(onLeader.body()).getString("code"));
    waitFor(() -> nodes.stream().allMatch(n -> count(n, "転送") == 1));
  }

  @Test
  void a_read_on_an_instance_without_the_sessions_last_write_waits_and_then_answers_lagging() {
    Browser browser = new Browser();
    browser.login(followers.get(1), "ina-ishi02", PASSWORD);
    long ahead = followers.get(0).cluster().orElseThrow().batches().latest() + 1_000;
    browser.setBatch(ahead);
    long started = System.nanoTime();
    HttpResponse<String> lagging = browser.get(followers.get(0), "/api/v1/patients");
    assertThat(lagging.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(lagging.body()).getString("code")).isEqualTo("cluster.lagging");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    // The leader has every batch there is; a batch the node reached answers at once.
    browser.setBatch(leader.cluster().orElseThrow().batches().latest());
    assertThat(browser.get(leader, "/api/v1/patients").statusCode()).isEqualTo(200);
  }

  @Test
  void logging_out_on_one_instance_ends_the_session_on_every_instance() {
    Browser browser = new Browser();
    browser.login(followers.get(0), "ina-ishi03", PASSWORD);
    for (TsunaguNode node : nodes) {
      assertThat(browser.get(node, "/api/v1/patients").statusCode()).isEqualTo(200);
    }
    HttpCookie session = browser.cookie("__Host-tsunagu-session");
    HttpResponse<String> out = browser.post(followers.get(0), "/api/v1/auth/logout", new JsonObject(), null);
    assertThat(out.statusCode()).as(out.body()).isLessThan(300);
    // The logout clears the browser's cookie; a copy of it kept elsewhere must be worthless on every instance.
    browser.put(session);
    for (TsunaguNode node : List.of(followers.get(1), leader, followers.get(0))) {
      HttpResponse<String> refused = browser.get(node, "/api/v1/patients");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
    }
  }

  @Test
  void five_wrong_passwords_across_two_instances_lock_the_login_id_on_every_instance() {
    Browser browser = new Browser();
    browser.csrf(followers.get(0));
    for (int i = 0; i < 5; i++) {
      TsunaguNode node = i % 2 == 0 ? followers.get(0) : followers.get(1);
      HttpResponse<String> wrong = browser.post(node, "/api/v1/auth/login",
          new JsonObject().put("loginId", "ina-ishi04").put("password", "wrong-" + i), null);
      assertThat(wrong.statusCode()).as(wrong.body()).isIn(401, 429);
    }
    for (TsunaguNode node : nodes) {
      HttpResponse<String> locked = browser.post(node, "/api/v1/auth/login",
          new JsonObject().put("loginId", "ina-ishi04").put("password", PASSWORD), null);
      assertThat(locked.statusCode()).as(locked.body()).isEqualTo(429);
      assertThat(new JsonObject(locked.body()).getString("code")).isEqualTo("auth.locked");
    }
  }

  @Test
  void a_leader_change_while_a_write_is_forwarded_is_a_retryable_503_and_the_retry_writes_once() throws Exception {
    Browser browser = new Browser();
    browser.login(followers.get(0), "ina-ishi01", PASSWORD);
    // A deposed leader still listening for a moment: it refuses what reaches it, as LeaderReplay does.
    String leaderReplay = LeaderReplay.address(followers.get(1).cluster().orElseThrow().clusterName());
    MessageConsumer<JsonObject> deposed = followers.get(1).vertx().eventBus().<JsonObject>consumer(
        leaderReplay, message -> message.fail(503, "cluster.leader_changed"));
    deposed.completion().await(10, TimeUnit.SECONDS);
    Map<String, JsonObject> refused = new java.util.LinkedHashMap<>();
    int written = 0;
    try {
      Thread.sleep(1_000);
      for (int i = 0; i < 6; i++) {
        String key = UUID.randomUUID().toString();
        JsonObject patient = CareApiTest.patient("交代" + i, "花子", "コウタイ", "ハナコ", "1940-01-0" + (i + 1));
        HttpResponse<String> answer = browser.post(followers.get(0), "/api/v1/patients", patient, key);
        if (answer.statusCode() == 503) {
          assertThat(new JsonObject(answer.body()).getString("code")).isEqualTo("cluster.leader_changed");
          refused.put(key, patient);
        } else {
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
          written++;
        }
      }
    } finally {
      deposed.unregister().await(10, TimeUnit.SECONDS);
    }
    assertThat(refused).isNotEmpty();
    Thread.sleep(3_000);
    for (Map.Entry<String, JsonObject> retry : refused.entrySet()) {
      HttpResponse<String> again = browser.post(followers.get(0), "/api/v1/patients", retry.getValue(),
          retry.getKey());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
      HttpResponse<String> twice = browser.post(followers.get(1), "/api/v1/patients", retry.getValue(),
          retry.getKey());
      assertThat(twice.statusCode()).isEqualTo(201);
    }
    for (int i = 0; i < 6; i++) {
      assertThat(count(leader, "交代" + i)).isEqualTo(1);
    }
    assertThat(written + refused.size()).isEqualTo(6);
  }

  @Test
  void writes_through_haproxy_succeed_whichever_instance_takes_them() {
    Browser browser = new Browser();
    URI proxy = URI.create("https://127.0.0.1:" + proxyWeb);
    waitFor(() -> browser.status(proxy, "/health/ready") == 200);
    browser.loginAt(proxy, "ina-ishi03", PASSWORD);
    for (int i = 0; i < 9; i++) {
      // Each request on a connection of its own: the proxy balances connections, so all three take some.
      HttpResponse<String> created = browser.freshConnection().postAt(proxy, "/api/v1/patients",
          CareApiTest.patient("経由" + i, "花子", "ケイユ", "ハナコ", "1939-02-0" + (i + 1)),
          UUID.randomUUID().toString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    waitFor(() -> nodes.stream().allMatch(n -> countLike(n, "経由%") == 9));
  }

  @Test
  void a_device_certificate_revoked_on_the_leader_is_refused_on_every_instance() throws Exception {
    AccountSeeder.Created created = new AccountSeeder(leader.services()).createUser(new AccountSeeder.Person(
        "ina-ishi09", "ina-ishi09@example.jp", "伊那", "次郎", "イナ", "ジロウ", "doctor", Role.PROFESSIONAL,
        Optional.of(clinic)), PASSWORD, "windows");
    HttpClient device = HttpClient.newBuilder().sslContext(deviceTls(created)).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    for (TsunaguNode node : nodes) {
      assertThat(status(device, node, "/api/v1/auth/csrf")).isEqualTo(200);
    }
    // Revoked in the leader's database (as a withdrawal does): the replicated rows reach the followers,
    // which read their revocations again.
    leader.services().database().submitWrite(c -> {
      try (var statement = c.prepareStatement("update device_certificates set status = 'revoked' where id = ?")) {
        statement.setString(1, created.certificateId());
        return statement.executeUpdate();
      }
    }).get(30, TimeUnit.SECONDS);
    waitFor(() -> followers.stream().allMatch(f -> status(device, f, "/api/v1/auth/csrf") == 403));
    for (TsunaguNode follower : followers) {
      HttpResponse<String> refused = device.send(HttpRequest.newBuilder(follower.webUrl()
          .resolve("/api/v1/auth/csrf")).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("auth.certificate_revoked");
    }
  }

  private SSLContext deviceTls(AccountSeeder.Created created) throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(new java.io.ByteArrayInputStream(created.pkcs12()), created.certificatePassword().toCharArray());
    javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, created.certificatePassword().toCharArray());
    java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("node", leader.services().keys().identity().tlsCertificate());
    javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static int status(HttpClient client, TsunaguNode node, String path) {
    try {
      return client.send(HttpRequest.newBuilder(node.webUrl().resolve(path)).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A browser: one cookie jar for every instance (they share the node's host), its CSRF token. */
  private final class Browser {
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private HttpClient client = client();
    private String csrf = "";

    private HttpClient client() {
      SSLContext tls = TestHttp.trusting(leader.services().keys().identity().tlsCertificate());
      return HttpClient.newBuilder().sslContext(tls).cookieHandler(cookies).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
    }

    Browser freshConnection() {
      client = client();
      return this;
    }

    void csrf(TsunaguNode node) {
      csrf = new JsonObject(get(node, "/api/v1/auth/csrf").body()).getString("csrfToken");
    }

    void login(TsunaguNode node, String loginId, String password) {
      loginAt(node.webUrl(), loginId, password);
    }

    void loginAt(URI base, String loginId, String password) {
      csrf = new JsonObject(send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/csrf")).GET()).body())
          .getString("csrfToken");
      HttpResponse<String> login = postAt(base, "/api/v1/auth/login", new JsonObject().put("loginId", loginId)
          .put("password", password), null);
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      csrf = new JsonObject(login.body()).getString("csrfToken");
    }

    HttpCookie cookie(String name) {
      return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
          .orElseThrow();
    }

    void put(HttpCookie cookie) {
      cookies.getCookieStore().add(URI.create("https://127.0.0.1/"), cookie);
    }

    void setBatch(long batch) {
      HttpCookie cookie = new HttpCookie(ClusterFrontDoor.BATCH_COOKIE, Long.toString(batch));
      cookie.setPath("/");
      cookie.setVersion(0);
      cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(ClusterFrontDoor.BATCH_COOKIE))
          .toList().forEach(c -> cookies.getCookieStore().remove(null, c));
      cookies.getCookieStore().add(URI.create("https://127.0.0.1/"), cookie);
    }

    HttpResponse<String> get(TsunaguNode node, String path) {
      return send(HttpRequest.newBuilder(node.webUrl().resolve(path)).GET());
    }

    int status(URI base, String path) {
      try {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET()).statusCode();
      } catch (AssertionError e) {
        return -1;
      }
    }

    HttpResponse<String> post(TsunaguNode node, String path, JsonObject body, String key) {
      return postAt(node.webUrl(), path, body, key);
    }

    HttpResponse<String> postAt(URI base, String path, JsonObject body, String key) {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
      if (key != null) {
        request.header("Idempotency-Key", key);
      }
      return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return client.send(request.header("X-CSRF-Token", csrf).header("Accept", "application/json")
            .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new AssertionError("request failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static long count(TsunaguNode node, String familyName) {
    return countLike(node, familyName);
  }

  private static long countLike(TsunaguNode node, String familyName) {
    try {
      return node.services().database().submitRead(c -> {
        try (var statement = c.prepareStatement("select count(*) from patients where family_name like ?")) {
          statement.setString(1, familyName);
          try (var rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      }).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long position(TsunaguNode node) {
    try {
      return node.services().database().submitRead(ReplicationPosition::of).get().batchId();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String haproxyConfig() {
    StringBuilder cfg = new StringBuilder("""
        global
            maxconn 256
        defaults
            mode tcp
            timeout connect 3s
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
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:").append(nodes.get(i).webUrl().getPort())
          .append(" check\n");
    }
    return cfg.toString();
  }

  private static Path haproxyBinary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("haproxy is not installed: install the Debian package haproxy");
  }

  private List<NodeConfig> configs(List<Integer> ports) throws IOException {
    // Partners know the node by one endpoint (the proxy's); each instance listens on its own port.
    return ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-serving"), 3, ports,
        "https://127.0.0.1:" + ports.get(10), true,
        json -> json.getJsonObject("web").put("publicUrl", "https://127.0.0.1:" + proxyWeb));
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 90 s");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
