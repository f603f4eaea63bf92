package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.LostAnswers;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed create answered by the leader of three instances (one JVM, real mutual TLS between them,
 * real SQLite files), the leader then stopped before it could keep anything more: the create's answer
 * was replicated with the create itself, so the client's retry with the same key through the new
 * leader gets that first answer again, byte for byte, and nothing is created twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class AnswerAfterFailoverTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";

  @TempDir
  static Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();
  private TsunaguNode leader;

  @BeforeAll
  void start() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ports.add(freePort());
    }
    List<NodeConfig> configs = configs(ports);
    shareIdentity(configs);
    // A thread each: an instance's start waits for the CP group, which needs the others started too.
    ExecutorService starters = Executors.newFixedThreadPool(3);
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
  }

  @AfterAll
  void stop() {
    stopAll(nodes);
  }

  @Test
  void a_retry_through_the_new_leader_gets_the_answer_of_a_create_whose_leader_stopped_right_after_it()
      throws Exception {
    AccountSeeder seeder = new AccountSeeder(leader.services());
    String clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    seeder.createUser(new AccountSeeder.Person("ina-ishi09", "ina-ishi09@example.jp", "伊那", "健一", "イナ", "ケンイチ",
        "doctor", Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
    Browser doctor = new Browser();
    doctor.login(leader);
    String patient = new JsonObject(doctor.post(leader, "/api/v1/patients", CareApiTest.patient("交代", "花子",
        "コウタイ", "ハナコ", "1938-05-06"), UUID.randomUUID().toString()).body()).getString("id");
    String key = UUID.randomUUID().toString();
    JsonObject post = new JsonObject().put("category", "連絡").put("body", "交代の直前に書いた記事");

    // Whatever the leader would keep after the create's commit never happens: it stops first.
    LostAnswers.on(leader);
    HttpResponse<String> first = doctor.post(leader, "/api/v1/patients/" + patient + "/posts", post, key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    TsunaguNode stopped = leader;
    stopped.cluster().orElseThrow().close();
    stopped.cluster().orElseThrow().members().getHazelcastInstance().getLifecycleService().terminate();
    nodes.remove(stopped);
    try {
      stopped.close();
    } catch (RuntimeException e) {
      // its member is gone without a word, as in a crash
    }
    waitFor(() -> nodes.stream().anyMatch(n -> n.cluster().orElseThrow().isLeader()));
    TsunaguNode next = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();

    HttpResponse<String> retry = doctor.retryUntilAnswered(next, "/api/v1/patients/" + patient + "/posts", post, key);

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(retry.body()).isEqualTo(first.body());
    String written = "select count(*) from posts where body = '交代の直前に書いた記事'";
    assertThat(count(next, written)).isEqualTo(1);
    // The other instance may still be fetching from the new leader; it ends with the one post too.
    waitFor(() -> nodes.stream().allMatch(node -> count(node, written) == 1));
  }

  /** A browser: one cookie jar for every instance (they share the node's host), its CSRF token. */
  private final class Browser {
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(leader.services().keys().identity().tlsCertificate()))
        .cookieHandler(cookies).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private String csrf = "";

    void login(TsunaguNode node) {
      csrf = new JsonObject(send(HttpRequest.newBuilder(node.webUrl().resolve("/api/v1/auth/csrf")).GET()).body())
          .getString("csrfToken");
      HttpResponse<String> answer = send(HttpRequest.newBuilder(node.webUrl().resolve("/api/v1/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              new JsonObject().put("loginId", "ina-ishi09").put("password", PASSWORD).encode())));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      csrf = new JsonObject(answer.body()).getString("csrfToken");
    }

    HttpResponse<String> post(TsunaguNode node, String path, JsonObject body, String key) {
      return send(HttpRequest.newBuilder(node.webUrl().resolve(path)).header("Content-Type", "application/json")
          .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    /** As a client does: the same key again while the node answers 503 (no leader yet, still catching up). */
    HttpResponse<String> retryUntilAnswered(TsunaguNode node, String path, JsonObject body, String key)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      HttpResponse<String> answer = post(node, path, body, key);
      while (answer.statusCode() == 503 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        answer = post(node, path, body, key);
      }
      return answer;
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

  private static long count(TsunaguNode node, String sql) {
    try {
      return node.services().database().submitRead(c -> {
        try (var statement = c.prepareStatement(sql); var rs = statement.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<NodeConfig> configs(List<Integer> ports) throws IOException {
    return ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-answer"), 3, ports,
        "https://127.0.0.1:" + ports.get(9), true,
        json -> {});
  }
}
