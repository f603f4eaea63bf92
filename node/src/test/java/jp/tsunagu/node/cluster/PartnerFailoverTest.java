package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner node reaches a clustered home node through whichever instance HAProxy (TCP, mutual TLS
 * passing through) or the partner picks: three clustered instances of 伊那 and a real 南箕輪 node on
 * loopback with a real agreement, imported on the leader only (the followers' trust follows the
 * replicated rows). A partner's write reaching a follower is played on the leader with the partner's
 * certificate, which the leader checks itself; a forged certificate is never taken. Last, the leader
 * stops while web writes are forwarded to it and the partner keeps writing: the forwards are answered
 * at once, retries write once, and every partner write lands exactly once on every surviving instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class PartnerFailoverTest {

  private static final String PASSWORD = CareTestbed.PASSWORD;

  @TempDir
  static Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();
  private TsunaguNode partner;
  private TsunaguNode leader;
  private List<TsunaguNode> followers;
  private Process haproxy;
  private int proxyWeb;
  private int proxyFederation;
  private Vertx vertx;
  private HttpClient asPartner;
  private HttpClient asHome;
  private String patientId;
  private CareClient nurse;

  @BeforeAll
  void start() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ports.add(freePort());
    }
    proxyWeb = ports.get(9);
    proxyFederation = ports.get(10);
    List<NodeConfig> configs = configs(ports);
    shareIdentity(configs);
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
    followers = nodes.stream().filter(n -> n != leader).toList();

    JsonObject partnerJson = TestNodes.json("minamiminowa");
    partnerJson.getJsonObject("federation").put("port", ports.get(11));
    partner = TsunaguNode.start(new ConfigLoader(n -> null).fromJson(partnerJson, dir.resolve("minamiminowa"))
        .asDemo());
    // Imported on the leader only: the followers admit the partner once the rows reach them.
    DemoAgreement.establish(List.of(TestNodes.federation(leader), TestNodes.federation(partner)), "kamiina",
        "上伊那地域在宅医療・介護連携に関する広域連携協定");
    String partnerPin = partner.services().keys().identity().tlsPin();
    waitFor(() -> followers.stream().allMatch(f -> TestNodes.federation(f).trust().current().accepts(partnerPin)));

    Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig());
    haproxy = new ProcessBuilder(haproxyBinary().toString(), "-db", "-f", dir.resolve("haproxy.cfg").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();

    CareClient doctor = professional(leader, "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    nurse = professional(partner, "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション", "home_nursing");
    patientId = doctor.post("/api/v1/patients", patient("春日")).json().getString("id");
    CareClient.Reply invited = doctor.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", "mm-nurse@minamiminowa").put("teamRole", "訪問看護"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    waitFor(() -> nurse.get("/api/v1/invitations").json().getJsonArray("invitations").stream()
        .map(JsonObject.class::cast).anyMatch(i -> i.getString("boardId").equals(patientId)));
    assertThat(nurse.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject()).status()).isLessThan(300);
    // The acceptance is the partner's first submission: through the proxy, to any instance.
    waitFor(() -> doctor.get("/api/v1/patients/" + patientId + "/team").json().getJsonArray("members").stream()
        .map(JsonObject.class::cast).anyMatch(m -> m.getString("userId").equals("mm-nurse@minamiminowa")
            && m.getString("status").equals("active")));

    vertx = Vertx.vertx();
    NodeIdentity home = leader.services().keys().identity();
    asPartner = federationClient(partner.services().keys().identity(), home);
    asHome = federationClient(home, home);
  }

  @AfterAll
  void stop() {
    if (haproxy != null) {
      haproxy.destroyForcibly();
    }
    if (vertx != null) {
      vertx.close();
    }
    if (partner != null) {
      partner.close();
    }
    stopAll(nodes);
  }

  @Test
  @Order(1)
  void a_partners_write_reaching_a_follower_is_played_on_the_leader_and_answered_as_the_leader_answers_it() {
    String path = FederationV1.SUBMISSION.formatted(patientId, UUID.randomUUID());
    long refusalsBefore = count(leader, "select count(*) from audit_log where action = ?", "sync.event.refused");
    Answer onLeader = call(asPartner, leader, HttpMethod.POST, path, "not an envelope", Map.of());
    for (TsunaguNode follower : followers) {
      Answer answer = call(asPartner, follower, HttpMethod.POST, path, "not an envelope", Map.of());
      // Refused on its content, not with cluster.not_leader: the leader ran the route and wrote its audit record.
      assertThat(answer.status()).as(answer.body()).isEqualTo(onLeader.status()).isBetween(400, 499);
      assertThat(answer.code()).isEqualTo(onLeader.code()).startsWith("envelope.");
      assertThat(answer.headers()).containsKey(ClusterFrontDoor.BATCH_HEADER.toLowerCase());
    }
    long refusals = count(leader, "select count(*) from audit_log where action = ?", "sync.event.refused");
    assertThat(refusals - refusalsBefore).isEqualTo(3);
    // Every instance's audit chain holds the records the leader wrote for the followers' partner calls.
    waitFor(() -> followers.stream().allMatch(f -> count(f, "select count(*) from audit_log where action = ?",
        "sync.event.refused") == refusals));
    // A pull is served by the follower itself, from its own database.
    for (TsunaguNode follower : followers) {
      Answer boards = call(asPartner, follower, HttpMethod.GET, FederationV1.BOARDS, null, Map.of());
      assertThat(boards.status()).as(boards.body()).isEqualTo(200);
      assertThat(boards.headers()).doesNotContainKey(ClusterFrontDoor.BATCH_HEADER.toLowerCase());
    }
    // A partner that names the batch of its last write has its pull wait for it, as a browser's cookie does.
    TsunaguNode follower = followers.get(0);
    long ahead = follower.cluster().orElseThrow().batches().latest() + 1_000;
    long started = System.nanoTime();
    Answer lagging = call(asPartner, follower, HttpMethod.GET, FederationV1.BOARDS, null,
        Map.of(ClusterFrontDoor.BATCH_HEADER, Long.toString(ahead)));
    assertThat(lagging.status()).isEqualTo(503);
    assertThat(lagging.code()).isEqualTo("cluster.lagging");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    Answer reached = call(asPartner, follower, HttpMethod.GET, FederationV1.BOARDS, null,
        Map.of(ClusterFrontDoor.BATCH_HEADER, Long.toString(follower.cluster().orElseThrow().batches().latest())));
    assertThat(reached.status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void a_forwarded_certificate_is_taken_only_from_the_leaders_own_process_and_checked_by_the_leader() {
    String partnerCertificate = Base64.getEncoder().encodeToString(encoded(partner));
    Map<String, String> forged = Map.of(ClusterFrontDoor.CERTIFICATE_HEADER, partnerCertificate,
        ClusterFrontDoor.SECRET_HEADER, "guessed", ClusterFrontDoor.MARK_HEADER, "1");
    // The node's own certificate (an instance's) admits nothing by itself, with or without forged headers.
    for (TsunaguNode node : nodes) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
        Answer answer = call(asHome, node, method, FederationV1.HELLO, method == HttpMethod.POST ? "{}" : null, forged);
        assertThat(answer.status()).as(method + " " + answer.body()).isEqualTo(403);
        assertThat(answer.code()).isEqualTo("federation.peer_not_trusted");
      }
    }
    // A follower's word is not enough: what it hands over is checked against the leader's agreements.
    JsonObject message = forwarded(encoded(leader));
    String leaderReplay = LeaderReplay.address(followers.get(0).cluster().orElseThrow().clusterName());
    JsonObject refused = followers.get(0).vertx().eventBus().<JsonObject>request(
        leaderReplay, message).map(reply -> reply.body()).await();
    assertThat(refused.getInteger("status")).isEqualTo(403);
    JsonObject admitted = followers.get(0).vertx().eventBus().<JsonObject>request(
        leaderReplay, forwarded(encoded(partner))).map(reply -> reply.body()).await();
    assertThat(admitted.getInteger("status")).isEqualTo(200);
  }

  @Test
  @Order(3)
  void a_write_refused_in_a_group_of_writes_keeps_cluster_not_leader() throws Exception {
    List<CompletableFuture<Integer>> writes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Each changes a replicated row (to its own value); on a follower the commit hook refuses the transaction.
      writes.add(followers.get(0).services().database().submitWrite(c -> {
        try (var statement = c.prepareStatement("update patients set remarks = remarks where id = ?")) {
          statement.setString(1, patientId);
          return statement.executeUpdate();
        }
      }));
    }
    for (CompletableFuture<Integer> write : writes) {
      try {
        write.get(30, TimeUnit.SECONDS);
        throw new AssertionError("a write on a follower committed");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(jp.tsunagu.node.errors.CodedException.class);
        assertThat(((jp.tsunagu.node.errors.CodedException) e.getCause()).code()).isEqualTo("cluster.not_leader");
      }
    }
  }

  @Test
  @Order(4)
  void the_leader_stopping_mid_forward_answers_at_once_and_partner_writes_land_exactly_once() throws Exception {
    WebClient web = new WebClient(followers.get(0), "ina-web01");
    // The partner's nurse keeps writing on her own node; her node delivers through the proxy.
    List<String> notes = new ArrayList<>();
    CountDownLatch writing = new CountDownLatch(1);
    Thread partnerWrites = new Thread(() -> {
      for (int i = 0; i < 30; i++) {
        String body = "訪問記録 " + i;
        CareClient.Reply posted = nurse.post("/api/v1/patients/" + patientId + "/posts", note(body));
        if (posted.status() == 201) {
          synchronized (notes) {
            notes.add(body);
          }
        }
        if (i == 9) {
          writing.countDown();
        }
        sleep(300);
      }
    });
    partnerWrites.start();
    writing.await(60, TimeUnit.SECONDS);

    // The leader hangs on a write, so what the followers forward to it waits; then it is stopped.
    CountDownLatch hung = new CountDownLatch(1);
    leader.services().database().submitWrite(c -> {
      try {
        hung.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    List<String> keys = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String key = UUID.randomUUID().toString();
      keys.add(key);
      inFlight.add(web.postAsync("/api/v1/patients", patient("交代" + i), key));
    }
    sleep(1_000);
    assertThat(inFlight).noneMatch(CompletableFuture::isDone);
    TsunaguNode stopped = leader;
    long stoppedAt = System.nanoTime();
    stopped.cluster().orElseThrow().members().getHazelcastInstance().getLifecycleService().terminate();
    for (CompletableFuture<HttpResponse<String>> forward : inFlight) {
      HttpResponse<String> answer = forward.get(20, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(new JsonObject(answer.body()).getString("code")).isIn("cluster.leader_changed", "cluster.no_leader");
    }
    Duration noticed = Duration.ofNanos(System.nanoTime() - stoppedAt);
    // Well before the forward's own timeout (15 s): a ping every 0.5 s, unanswered within 1 s at worst.
    assertThat(noticed).isLessThan(Duration.ofMillis(2_500));
    hung.countDown();
    stopped.cluster().orElseThrow().close();
    try {
      stopped.close();
    } catch (RuntimeException e) {
      // its member is gone already
    }
    nodes.remove(stopped);

    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    leader = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();
    // The client's retries, with the same keys, on either survivor: each patient written once.
    for (int i = 0; i < keys.size(); i++) {
      HttpResponse<String> again = retried(web, patient("交代" + i), keys.get(i));
      assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    }
    partnerWrites.join(120_000);
    List<String> written;
    synchronized (notes) {
      written = List.copyOf(notes);
    }
    assertThat(written).hasSize(30);
    // The partner's outbox drains and each of its writes is on the home board once, at one seq everywhere.
    waitFor(() -> count(partner, "select count(*) from sync_outbox where state = ?", "pending") == 0);
    for (String body : written) {
      waitFor(() -> nodes.stream().allMatch(n -> count(n, "select count(*) from posts where body = ?", body) == 1));
    }
    List<String> timelines = nodes.stream().map(n -> timeline(n, patientId)).toList();
    assertThat(timelines.get(1)).isEqualTo(timelines.get(0));
    assertThat(count(partner, "select count(*) from sync_outbox where state = ?", "rejected")).isZero();
    for (int i = 0; i < keys.size(); i++) {
      String family = "交代" + i;
      waitFor(() -> nodes.stream().allMatch(n -> count(n, "select count(*) from patients where family_name = ?",
          family) == 1));
    }
  }

  /** A retry after the leader change: the first attempts may still find no leader for a moment. */
  private static HttpResponse<String> retried(WebClient web, JsonObject patient, String key) throws Exception {
    HttpResponse<String> answer = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      answer = web.postAsync("/api/v1/patients", patient, key).get(40, TimeUnit.SECONDS);
      if (answer.statusCode() != 503) {
        return answer;
      }
      sleep(1_000);
    }
    return answer;
  }

  /** The posts of a board as (seq, body), oldest first. */
  private static String timeline(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> {
      StringBuilder rows = new StringBuilder();
      try (var s = c.prepareStatement("select seq, body from posts where board_id = ? order by seq")) {
        s.setString(1, boardId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            rows.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append('\n');
          }
        }
      }
      return rows.toString();
    }).join();
  }

  /** A request as a follower forwards it, naming the certificate its partner presented. */
  private JsonObject forwarded(byte[] certificate) {
    return new JsonObject().put("listener", ClusterFrontDoor.Listener.FEDERATION.name()).put("method", "GET")
        .put("uri", FederationV1.BOARDS).put("authority", "").put("remote", "127.0.0.1")
        .put("headers", new JsonArray()).put("body", new byte[0])
        .put("chain", new JsonArray().add(certificate));
  }

  private static byte[] encoded(TsunaguNode node) {
    try {
      return node.services().keys().identity().tlsCertificate().getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AssertionError(e);
    }
  }

  private record Answer(int status, String body, Map<String, String> headers) {
    String code() {
      try {
        return new JsonObject(body).getString("code");
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** A call on an instance's own federation listener (not through the proxy). */
  private Answer call(HttpClient client, TsunaguNode node, HttpMethod method, String path, String body,
      Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(node.services().config().federation().port()).setURI(path).setTimeout(30_000)
        .putHeader("Content-Type", FederationV1.JOSE).putHeader("Accept", "application/json");
    headers.forEach(options::putHeader);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(answer -> {
          Map<String, String> names = new java.util.HashMap<>();
          response.headers().forEach(h -> names.put(h.getKey().toLowerCase(), h.getValue()));
          return new Answer(response.statusCode(), answer.toString(), names);
        })).await();
  }

  /** Mutual TLS as {@code self}, trusting exactly the home node's certificate. */
  private HttpClient federationClient(NodeIdentity self, NodeIdentity home) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(self.tlsCertificatePem()))
            .setKeyValue(Buffer.buffer(self.tlsPrivateKeyPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(home.tlsCertificatePem())))
        .setVerifyHost(false).setKeepAlive(false));
  }

  /** A browser of the home node logged in on one instance, its writes sent without waiting. */
  private final class WebClient {
    private final java.net.http.HttpClient client;
    private final URI base;
    private final String csrf;

    WebClient(TsunaguNode node, String login) {
      AccountSeeder seeder = new AccountSeeder(leader.services());
      String clinic = seeder.createFacility("伊那在宅クリニック", "202096", "長野県", "clinic");
      seeder.createUser(new AccountSeeder.Person(login, login + "@example.jp", "伊那", "次郎", "イナ", "ジロウ",
          "doctor", Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows");
      long seeded = position(leader);
      waitFor(() -> position(node) >= seeded);
      this.base = node.webUrl();
      this.client = java.net.http.HttpClient.newBuilder()
          .sslContext(TestHttp.trusting(leader.services().keys().identity().tlsCertificate()))
          .cookieHandler(new java.net.CookieManager()).version(java.net.http.HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      String token = new JsonObject(send("GET", "/api/v1/auth/csrf", null, null, "").join().body())
          .getString("csrfToken");
      HttpResponse<String> login1 = send("POST", "/api/v1/auth/login", new JsonObject().put("loginId", login)
          .put("password", PASSWORD), null, token).join();
      assertThat(login1.statusCode()).as(login1.body()).isEqualTo(200);
      this.csrf = new JsonObject(login1.body()).getString("csrfToken");
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, JsonObject body, String key) {
      return send("POST", path, body, key, csrf);
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, JsonObject body, String key,
        String token) {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(40))
          .header("Accept", "application/json").header("X-CSRF-Token", token);
      if (body == null) {
        request.GET();
      } else {
        request.header("Content-Type", "application/json").method(method,
            HttpRequest.BodyPublishers.ofString(body.encode()));
      }
      if (key != null) {
        request.header("Idempotency-Key", key);
      }
      return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static CareClient professional(TsunaguNode node, String loginId, String family, String profession,
      String facilityName, String category) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String municipality = node.services().config().node().municipalities().get(0);
    String facility = seeder.createFacility(facilityName, municipality, "長野県", category);
    AccountSeeder.Created created = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp",
        family, "花子", "テスト", "ハナコ", profession, Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    CareClient client = new CareClient(node, created.userId());
    client.login(loginId, PASSWORD);
    return client;
  }

  private static JsonObject note(String body) {
    return new JsonObject().put("category", "申し送り").put("body", body).put("recipients", new JsonArray())
        .put("attachments", new JsonArray());
  }

  private static JsonObject patient(String family) {
    return new JsonObject().put("familyName", family).put("givenName", "トメ").put("familyKana", "テスト")
        .put("givenKana", "トメ").put("birthDate", "1931-05-12").put("sex", "female")
        .put("address", "長野県伊那市荒井1-1").put("municipalityCode", "202096").put("phone", "0265-00-0000")
        .put("familyDoctor", "伊那中央クリニック").put("careLevel", "要介護3").put("emergencyContacts", "長女")
        .put("acpNotes", "").put("remarks", "").put("teamRole", "主治医");
  }

  private static long count(TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  private static long position(TsunaguNode node) {
    return node.services().database().submitRead(ReplicationPosition::of).join().batchId();
  }

  private String haproxyConfig() {
    String check = """
            option httpchk
            http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1:%d
            http-check expect status 200
        """.formatted(proxyWeb);
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
    cfg.append("backend web\n    balance roundrobin\n").append(check);
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:").append(nodes.get(i).webUrl().getPort())
          .append(" check\n");
    }
    cfg.append("frontend federation\n    bind 127.0.0.1:").append(proxyFederation)
        .append("\n    default_backend federation\n");
    cfg.append("backend federation\n    balance roundrobin\n").append(check);
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:")
          .append(nodes.get(i).services().config().federation().port()).append(" check port ")
          .append(nodes.get(i).webUrl().getPort()).append('\n');
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
    // Partners know the node by one endpoint, the proxy's; each instance listens on its own port.
    return ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-partner"), 3, ports,
        "https://127.0.0.1:" + proxyFederation, true,
        json -> json.getJsonObject("web").put("publicUrl", "https://127.0.0.1:" + proxyWeb));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 120 s");
      }
      sleep(200);
    }
  }
}
