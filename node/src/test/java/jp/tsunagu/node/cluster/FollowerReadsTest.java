package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.MovableClock;
import jp.tsunagu.node.testing.SseEvents;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of patient data on a follower of a clustered node (three instances in one JVM, real
 * mutual TLS between them, real SQLite files): the follower answers from its own database once the
 * leader has the read's audit record durably in the one chain; with no leader to take it, nothing
 * is disclosed; a live stream opened on a follower hears posts written through the other
 * instances; a session used only on a follower stays alive while used and expires when idle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class FollowerReadsTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";

  @TempDir
  static Path dir;

  private final MovableClock clock = new MovableClock();
  private final List<TsunaguNode> nodes = new ArrayList<>();
  private TsunaguNode leader;
  private List<TsunaguNode> followers;
  private String patient;
  private String patientName;

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
      starting.add(CompletableFuture.supplyAsync(() -> TsunaguNode.start(config, clock), starters));
    }
    starters.shutdown();
    for (CompletableFuture<TsunaguNode> node : starting) {
      nodes.add(node.get(420, TimeUnit.SECONDS));
    }
    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    leader = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();
    followers = nodes.stream().filter(n -> n != leader).toList();
    AccountSeeder seeder = new AccountSeeder(leader.services());
    String clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    seeder.createUser(person("ina-ishi01", "doctor", clinic), PASSWORD, "windows");
    seeder.createUser(person("ina-kango01", "nurse", clinic), PASSWORD, "windows");
    for (int i = 1; i <= 3; i++) {
      seeder.createUser(person("ina-kango0" + (i + 1), "nurse", clinic), PASSWORD, "windows");
    }
    Browser doctor = new Browser();
    doctor.login(leader, "ina-ishi01");
    patientName = "閲覧" + UUID.randomUUID().toString().substring(0, 4);
    patient = new JsonObject(doctor.post(leader, "/api/v1/patients",
        CareApiTest.patient(patientName, "花子", "エツラン", "ハナコ", "1938-05-06")).body()).getString("id");
    for (String nurse : List.of("ina-kango01", "ina-kango02", "ina-kango03", "ina-kango04")) {
      String userId = scalar(leader, "select id from users where login_id = '" + nurse + "'");
      HttpResponse<String> invited = doctor.post(leader, "/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", userId).put("teamRole", "訪問看護"));
      assertThat(invited.statusCode()).as(invited.body()).isLessThan(300);
      Browser member = new Browser();
      member.login(leader, nurse);
      HttpResponse<String> accepted = member.post(leader, "/api/v1/invitations/" + patient + "/accept",
          new JsonObject());
      assertThat(accepted.statusCode()).as(accepted.body()).isLessThan(300);
    }
    long seeded = leader.cluster().orElseThrow().batches().latest();
    waitFor(() -> followers.stream().allMatch(f -> f.cluster().orElseThrow().batches().latest() >= seeded));
  }

  @AfterAll
  void stop() {
    stopAll(nodes);
  }

  @Test
  void an_audited_read_on_a_follower_is_answered_there_once_its_record_is_in_the_leaders_one_chain()
      throws Exception {
    Browser nurse = new Browser();
    nurse.login(followers.get(0), "ina-kango01");
    String reads = "select count(*) from audit_log where action = 'care.patient.read' and target = 'patient:"
        + patient + "'";
    long before = count(leader, reads);
    HttpResponse<String> shown = nurse.get(followers.get(0), "/api/v1/patients/" + patient);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    assertThat(shown.body()).contains(patientName);
    // A read played on the leader would carry the leader's batch; this one was answered where it arrived.
    assertThat(shown.headers().firstValue(ClusterFrontDoor.BATCH_HEADER)).isEmpty();
    // Answered only after the leader had the record: it is there already.
    assertThat(count(leader, reads)).isEqualTo(before + 1);

    // Many at once on both followers: each answered, each recorded once, in one chain.
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      TsunaguNode follower = followers.get(i % 2);
      answers.add(CompletableFuture.supplyAsync(
          () -> nurse.get(follower, "/api/v1/patients/" + patient).statusCode(), clients));
    }
    for (CompletableFuture<Integer> answer : answers) {
      assertThat(answer.get(120, TimeUnit.SECONDS)).isEqualTo(200);
    }
    clients.shutdown();
    assertThat(count(leader, reads)).isEqualTo(before + 25);
    long last = leader.cluster().orElseThrow().batches().latest();
    waitFor(() -> followers.stream().allMatch(f -> f.cluster().orElseThrow().batches().latest() >= last));
    AuditLog.Head head = leader.services().database().submitRead(AuditLog::lastRow).get();
    for (TsunaguNode node : nodes) {
      AuditChainVerifier.Result verified = node.services().database().submitRead(AuditChainVerifier::verify).get();
      assertThat(verified.intact()).as(verified.report().toString()).isTrue();
      assertThat(node.services().database().submitRead(AuditLog::lastRow).get()).isEqualTo(head);
      assertThat(count(node, reads)).isEqualTo(before + 25);
    }
  }

  @Test
  void records_asked_for_while_one_message_is_on_its_way_go_together_in_the_next() throws Exception {
    TsunaguNode follower = followers.get(1);
    java.util.concurrent.atomic.AtomicInteger messages = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger carried = new java.util.concurrent.atomic.AtomicInteger();
    String address = RelayedWrites.address(leader.cluster().orElseThrow().clusterName());
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> counting = delivery -> {
      if (address.equals(delivery.message().address())) {
        messages.incrementAndGet();
        carried.addAndGet(((JsonObject) delivery.message().body()).getJsonArray("writes").size());
      }
      delivery.next();
    };
    leader.vertx().eventBus().addInboundInterceptor(counting);
    try {
      AuditLog audit = new AuditLog(follower.services().database(), clock);
      List<io.vertx.core.Future<Void>> recorded = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        recorded.add(audit.record(jp.tsunagu.node.audit.AuditEvent.success("batch-test", "test.relayed",
            "item:" + i, null)));
      }
      io.vertx.core.Future.all(recorded).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(count(leader, "select count(*) from audit_log where action = 'test.relayed'")).isEqualTo(50);
      // The first goes at once; what is asked meanwhile waits for its answer and goes together.
      assertThat(carried.get()).isEqualTo(50);
      assertThat(messages.get()).isBetween(1, 5);
      // In the order asked: the chain numbers them as they were recorded.
      List<String> targets = new ArrayList<>();
      leader.services().database().submitRead(c -> {
        try (var statement = c.prepareStatement(
            "select target from audit_log where action = 'test.relayed' order by seq"); var rs = statement.executeQuery()) {
          while (rs.next()) {
            targets.add(rs.getString(1));
          }
        }
        return null;
      }).get();
      assertThat(targets).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, 50).mapToObj(i -> "item:" + i).toList());
    } finally {
      leader.vertx().eventBus().removeInboundInterceptor(counting);
    }
  }

  @Test
  void with_no_leader_to_take_the_audit_record_a_follower_discloses_nothing() throws Exception {
    Browser nurse = new Browser();
    nurse.login(followers.get(1), "ina-kango02");
    String mine = "select count(*) from audit_log where action = 'care.patient.read' and actor = '"
        + nurse.userId(leader) + "'";
    RelayedWrites relayed = leader.cluster().orElseThrow().relayed();
    relayed.follow();
    try {
      // Until the leader's going reaches the follower a read may still be recorded and answered.
      java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last =
          new java.util.concurrent.atomic.AtomicReference<>();
      waitFor(() -> {
        HttpResponse<String> answer = nurse.get(followers.get(1), "/api/v1/patients/" + patient);
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
        last.set(answer);
        if (answer.statusCode() == 200) {
          answered.incrementAndGet();
        }
        return answer.statusCode() == 503;
      });
      JsonObject refused = new JsonObject(last.get().body());
      assertThat(refused.getString("code")).isEqualTo("cluster.no_leader");
      assertThat(last.get().body()).doesNotContain(patientName).doesNotContain("1938");
      // A stream is refused the same way, before it says anything.
      HttpResponse<Stream<String>> stream = nurse.stream(followers.get(1), "/api/v1/patients/" + patient + "/live");
      assertThat(stream.statusCode()).isEqualTo(503);
      assertThat(String.join("\n", stream.body().toList())).contains("cluster.no_leader");
      // Every answered read is recorded; no refused one is.
      assertThat(count(leader, mine)).isEqualTo(answered.get());
    } finally {
      relayed.lead();
    }
    waitFor(() -> nurse.get(followers.get(1), "/api/v1/patients/" + patient).statusCode() == 200);
  }

  @Test
  void a_live_stream_on_a_follower_hears_posts_written_through_the_leader_and_the_other_follower()
      throws Exception {
    Browser nurse = new Browser();
    nurse.login(followers.get(1), "ina-kango03");
    Browser doctor = new Browser();
    doctor.login(followers.get(0), "ina-ishi01");
    String opened = "select count(*) from audit_log where action = 'care.live.open' and actor = '"
        + nurse.userId(leader) + "'";
    long before = count(leader, opened);
    HttpResponse<Stream<String>> stream = nurse.stream(followers.get(1), "/api/v1/patients/" + patient + "/live");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Iterator<String> lines = stream.body().iterator();
    assertThat(count(leader, opened)).isEqualTo(before + 1);
    // Streams register on the clustered bus; give the registration a moment to reach the writer.
    Thread.sleep(1_000);
    try {
      for (TsunaguNode through : List.of(leader, followers.get(0))) {
        long sent = System.nanoTime();
        HttpResponse<String> posted = doctor.post(through, "/api/v1/patients/" + patient + "/posts",
            new JsonObject().put("category", "連絡").put("body", "明日の訪問は10時です"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        String postId = new JsonObject(posted.body()).getString("id");
        JsonObject event = new JsonObject(nextData(lines));
        Duration latency = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(event.getString("type")).isEqualTo("post");
        assertThat(event.getString("postId")).isEqualTo(postId);
        assertThat(latency).as("from the post sent to its event on the stream").isLessThan(Duration.ofSeconds(3));
      }
    } finally {
      stream.body().close();
    }
  }

  @Test
  void a_stream_cut_on_one_follower_and_opened_again_on_the_other_with_its_last_id_gets_what_was_written_meanwhile()
      throws Exception {
    Browser nurse = new Browser();
    nurse.login(followers.get(1), "ina-kango03");
    Browser doctor = new Browser();
    doctor.login(followers.get(0), "ina-ishi01");
    String path = "/api/v1/patients/" + patient + "/live";
    HttpResponse<Stream<String>> first = nurse.stream(followers.get(1), path);
    assertThat(first.statusCode()).isEqualTo(200);
    SseEvents heard = new SseEvents(first.body());
    String before = post(doctor, leader, "切断前の連絡");
    SseEvents.Event last = nextPost(heard, before);
    first.body().close();

    // Written through the leader and through the other follower while the page has no stream.
    String throughLeader = post(doctor, leader, "切断中の連絡（リーダー経由）");
    String throughFollower = post(doctor, followers.get(0), "切断中の連絡（フォロワー経由）");
    long written = leader.cluster().orElseThrow().batches().latest();
    waitFor(() -> followers.get(0).cluster().orElseThrow().batches().latest() >= written);

    HttpResponse<Stream<String>> again = nurse.stream(followers.get(0), path, last.id());
    assertThat(again.statusCode()).isEqualTo(200);
    try {
      SseEvents resumed = new SseEvents(again.body());
      SseEvents.Event missed = resumed.next();
      SseEvents.Event missedToo = resumed.next();
      assertThat(List.of(missed.data().getString("postId"), missedToo.data().getString("postId")))
          .containsExactly(throughLeader, throughFollower);
      assertThat(missedToo.number()).isGreaterThan(missed.number()).isGreaterThan(last.number());
      // Then live, nothing repeated in between.
      String after = post(doctor, followers.get(1), "再接続後の連絡");
      SseEvents.Event live = resumed.next();
      assertThat(live.data().getString("postId")).isEqualTo(after);
      assertThat(live.number()).isGreaterThan(missedToo.number());
    } finally {
      again.body().close();
    }
  }

  @Test
  void a_stream_on_a_follower_hears_a_post_the_leader_never_tells_another_instance_of() throws Exception {
    // As if the leader died between replicating the post and telling streams of it: nothing it
    // publishes on the board's address leaves it.
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> silenced = delivery -> {
      if (!delivery.message().address().startsWith("tsunagu.care.board.")) {
        delivery.next();
      }
    };
    Browser nurse = new Browser();
    nurse.login(followers.get(1), "ina-kango04");
    Browser doctor = new Browser();
    doctor.login(leader, "ina-ishi01");
    HttpResponse<Stream<String>> stream = nurse.stream(followers.get(1), "/api/v1/patients/" + patient + "/live");
    assertThat(stream.statusCode()).isEqualTo(200);
    leader.vertx().eventBus().addOutboundInterceptor(silenced);
    try {
      SseEvents events = new SseEvents(stream.body());
      String postId = post(doctor, leader, "リーダーが伝えない連絡");
      SseEvents.Event heard = nextPost(events, postId);
      // Told once, by the follower that applied it.
      String next = post(doctor, leader, "次の連絡");
      assertThat(events.next().data().getString("postId")).isEqualTo(next);
      assertThat(heard.number()).isPositive();
    } finally {
      leader.vertx().eventBus().removeOutboundInterceptor(silenced);
      stream.body().close();
    }
  }

  @Test
  void a_leader_tells_its_own_streams_of_a_post_only_once_a_follower_applied_it() throws Exception {
    // As a leader cut off from its followers: the batches it ships never reach them.
    String batches = "tsunagu.cluster." + leader.cluster().orElseThrow().clusterName() + ".apply.";
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> cutOff = delivery -> {
      if (!delivery.message().address().startsWith(batches)) {
        delivery.next();
      }
    };
    Browser nurse = new Browser();
    nurse.login(leader, "ina-kango02");
    Browser doctor = new Browser();
    doctor.login(leader, "ina-ishi01");
    HttpResponse<Stream<String>> stream = nurse.stream(leader, "/api/v1/patients/" + patient + "/live");
    assertThat(stream.statusCode()).isEqualTo(200);
    List<SseEvents.Event> heard = SseEvents.collected(stream.body());
    leader.vertx().eventBus().addOutboundInterceptor(cutOff);
    String unconfirmed;
    List<SseEvents.Event> heardWhenRefused;
    try {
      HttpResponse<String> refused = doctor.post(leader, "/api/v1/patients/" + patient + "/posts",
          new JsonObject().put("category", "連絡").put("body", "フォロワーに届かない連絡"));
      heardWhenRefused = List.copyOf(heard);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("storage.outcome_unknown");
      // Committed on the leader (its client was told it may not be kept), never told to its streams.
      unconfirmed = scalar(leader, "select id from posts where body = 'フォロワーに届かない連絡'");
      assertThat(unconfirmed).isNotNull();
    } finally {
      leader.vertx().eventBus().removeOutboundInterceptor(cutOff);
    }
    try {
      assertThat(heardWhenRefused).as("what the leader's stream heard before the write was refused")
          .noneMatch(event -> unconfirmed.equals(event.data().getString("postId")));
      // A follower applies the next batch, and the one before it first: both are told then, in order.
      String confirmed = post(doctor, leader, "フォロワーに届いた連絡");
      waitFor(() -> heard.stream().anyMatch(event -> confirmed.equals(event.data().getString("postId"))));
      assertThat(heard.stream().map(event -> event.data().getString("postId"))
          .filter(id -> unconfirmed.equals(id) || confirmed.equals(id)).toList())
          .containsExactly(unconfirmed, confirmed);
      long last = leader.cluster().orElseThrow().batches().latest();
      waitFor(() -> followers.stream().allMatch(f -> f.cluster().orElseThrow().batches().latest() >= last));
    } finally {
      stream.body().close();
    }
  }

  @Test
  void a_retry_of_a_create_whose_outcome_was_unknown_is_shown_its_first_answer_only_once_a_follower_has_it()
      throws Exception {
    String batches = "tsunagu.cluster." + leader.cluster().orElseThrow().clusterName() + ".apply.";
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> cutOff = delivery -> {
      if (!delivery.message().address().startsWith(batches)) {
        delivery.next();
      }
    };
    Browser doctor = new Browser();
    doctor.login(leader, "ina-ishi01");
    String path = "/api/v1/patients/" + patient + "/posts";
    JsonObject body = new JsonObject().put("category", "連絡").put("body", "結果のわからない連絡");
    String key = UUID.randomUUID().toString();
    leader.vertx().eventBus().addOutboundInterceptor(cutOff);
    try {
      HttpResponse<String> first = doctor.post(leader, path, body, key);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
      assertThat(new JsonObject(first.body()).getString("code")).isEqualTo("storage.outcome_unknown");
      // The leader holds the key and the post; a replay now would answer for a post no follower has.
      HttpResponse<String> retried = doctor.post(leader, path, body, key);
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(503);
      assertThat(new JsonObject(retried.body()).getString("code")).isEqualTo("storage.outcome_unknown");
    } finally {
      leader.vertx().eventBus().removeOutboundInterceptor(cutOff);
    }
    HttpResponse<String> replayed = doctor.post(leader, path, body, key);
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(201);
    assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    String id = new JsonObject(replayed.body()).getString("id");
    assertThat(id).isEqualTo(scalar(leader, "select id from posts where body = '結果のわからない連絡'"));
    // Answered once a follower applied the replay's batch, and the post's before it.
    long last = leader.cluster().orElseThrow().batches().latest();
    waitFor(() -> followers.stream().allMatch(f -> f.cluster().orElseThrow().batches().latest() >= last));
    for (TsunaguNode node : List.of(leader, followers.get(0), followers.get(1))) {
      assertThat(count(node, "select count(*) from posts where body = '結果のわからない連絡'")).isEqualTo(1);
    }
  }

  private String post(Browser author, TsunaguNode through, String body) {
    HttpResponse<String> posted = author.post(through, "/api/v1/patients/" + patient + "/posts",
        new JsonObject().put("category", "連絡").put("body", body));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    return new JsonObject(posted.body()).getString("id");
  }

  /** The event of the post {@code postId}; events before it (other tests' posts, reads) are passed over. */
  private static SseEvents.Event nextPost(SseEvents events, String postId) throws Exception {
    SseEvents.Event event = events.next();
    while (!postId.equals(event.data().getString("postId"))) {
      event = events.next();
    }
    return event;
  }

  @Test
  void a_session_used_only_on_a_follower_stays_alive_while_used_and_expires_when_idle() throws Exception {
    Browser nurse = new Browser();
    TsunaguNode follower = followers.get(0);
    nurse.login(follower, "ina-kango04");
    String userId = nurse.userId(follower);
    String seen = "select max(last_seen_at) from sessions where user_id = '" + userId + "'";
    // The idle limit is 30 minutes; used every 20, the session outlives it twice over.
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(20));
      Instant usedAt = clock.instant();
      HttpResponse<String> used = nurse.get(follower, "/api/v1/patients/" + patient);
      assertThat(used.statusCode()).as(used.body()).isEqualTo(200);
      // The touch comes back by replication to the follower that sent it.
      waitFor(() -> !Instant.parse(scalar(follower, seen)).isBefore(usedAt.minusSeconds(1)));
    }
    clock.advance(Duration.ofMinutes(31));
    HttpResponse<String> idle = nurse.get(follower, "/api/v1/patients/" + patient);
    assertThat(idle.statusCode()).as(idle.body()).isEqualTo(401);
    assertThat(new JsonObject(idle.body()).getString("code")).isEqualTo("auth.session_expired");
  }

  /** The next "data:" line of the stream, read on another thread so the test can time out. */
  private static String nextData(Iterator<String> lines) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("data: ")) {
          return line.substring(6);
        }
      }
      return null;
    }).get(15, TimeUnit.SECONDS);
  }

  private static AccountSeeder.Person person(String login, String profession, String clinic) {
    return new AccountSeeder.Person(login, login + "@example.jp", "伊那", "花子", "イナ", "ハナコ", profession,
        Role.PROFESSIONAL, Optional.of(clinic));
  }

  /** A browser: one cookie jar for every instance (they share the node's host), its CSRF token. */
  private final class Browser {
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(leader.services().keys().identity().tlsCertificate()))
        .cookieHandler(cookies).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private String csrf = "";
    private String loginId;

    void login(TsunaguNode node, String login) {
      this.loginId = login;
      csrf = new JsonObject(get(node, "/api/v1/auth/csrf").body()).getString("csrfToken");
      HttpResponse<String> answer = send(HttpRequest.newBuilder(node.webUrl().resolve("/api/v1/auth/login"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              new JsonObject().put("loginId", login).put("password", PASSWORD).encode())));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      csrf = new JsonObject(answer.body()).getString("csrfToken");
    }

    String userId(TsunaguNode node) {
      return scalar(node, "select id from users where login_id = '" + loginId + "'");
    }

    HttpResponse<String> get(TsunaguNode node, String path) {
      return send(HttpRequest.newBuilder(node.webUrl().resolve(path)).GET());
    }

    HttpResponse<String> post(TsunaguNode node, String path, JsonObject body) {
      return post(node, path, body, UUID.randomUUID().toString());
    }

    HttpResponse<String> post(TsunaguNode node, String path, JsonObject body, String idempotencyKey) {
      return send(HttpRequest.newBuilder(node.webUrl().resolve(path)).header("Content-Type", "application/json")
          .header("Idempotency-Key", idempotencyKey)
          .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    HttpResponse<Stream<String>> stream(TsunaguNode node, String path) {
      return stream(node, path, null);
    }

    /** A stream opened again from {@code lastEventId}, as an EventSource does (null: none). */
    HttpResponse<Stream<String>> stream(TsunaguNode node, String path, String lastEventId) {
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.webUrl().resolve(path)).header("X-CSRF-Token", csrf)
            .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
          request.header("Last-Event-ID", lastEventId);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
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
    return Long.parseLong(scalar(node, sql));
  }

  private static String scalar(TsunaguNode node, String sql) {
    try {
      return node.services().database().submitRead(c -> {
        try (var statement = c.prepareStatement(sql); var rs = statement.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<NodeConfig> configs(List<Integer> ports) throws IOException {
    return ClusterTestSupport.instances(dir, ClusterTestSupport.clusterName("ina-reads"), 3, ports,
        "https://127.0.0.1:" + ports.get(9), true,
        json -> {});
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
