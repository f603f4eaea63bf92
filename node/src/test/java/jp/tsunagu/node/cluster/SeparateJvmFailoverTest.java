package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of one node in separate JVMs, the real HAProxy in front, professionals' devices
 * writing posts through it: the process of an instance killed ({@code kill -9}) or paused
 * ({@code SIGSTOP}) as a machine dies or hangs. No acknowledged write is lost or written twice, the
 * audit chain holds on every instance, service is back within 10 s, and a deposed leader's late
 * writes are never applied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 1200, unit = TimeUnit.SECONDS)
// The follower killed and started again runs in the default suite (1 to 2 minutes with the start of
// three JVMs); the five kills and the pause take about 5 minutes more and run only with
// -Dtsunagu.failover.long=true (README, *Several instances*, "Tested with separate JVMs").
class SeparateJvmFailoverTest {

  private static final String PASSWORD = "Kamiina-renkei-2025";
  private static final int USERS = 4;
  private static final int CLIENTS = 32;
  private static final int KILLS = 5;
  private static final Duration RTO = Duration.ofSeconds(10);

  @TempDir
  static Path dir;

  private InstanceProcesses cluster;
  private final List<AccountSeeder.Created> devices = new ArrayList<>();
  private X509Certificate nodeCertificate;
  private final Map<String, String> boards = new HashMap<>();

  @BeforeAll
  void start() throws Exception {
    cluster = new InstanceProcesses(dir, 3, node -> {
      nodeCertificate = node.services().keys().identity().tlsCertificate();
      AccountSeeder seeder = new AccountSeeder(node.services());
      String clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
      for (int i = 0; i < USERS; i++) {
        devices.add(seeder.createUser(new AccountSeeder.Person(login(i), login(i) + "@example.jp", "伊那",
            "太郎", "イナ", "タロウ", "doctor", Role.PROFESSIONAL, Optional.of(clinic)), PASSWORD, "windows"));
      }
    });
    cluster.startAll();
    cluster.startProxy();
    cluster.waitFor(Duration.ofSeconds(60), "the proxy", () -> cluster.leader().isPresent());
    for (int i = 0; i < USERS; i++) {
      DeviceClient doctor = client(i);
      DeviceClient.Written patient = doctor.create("/api/v1/patients",
          CareApiTest.patient("冗長" + i, "花子", "ジョウチョウ", "ハナコ", "1940-01-0" + (i + 1)), () -> true);
      assertThat(patient.status()).as(patient.body()).isEqualTo(201);
      boards.put(login(i), new JsonObject(patient.body()).getString("id"));
    }
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void a_follower_killed_and_started_again_catches_up_with_the_leader() {
    InstanceProcesses.Instance leader = cluster.awaitLeader();
    InstanceProcesses.Instance follower = cluster.instances().stream().filter(i -> i != leader).findFirst()
        .orElseThrow();
    cluster.kill(follower);
    DeviceClient doctor = client(0);
    for (int i = 0; i < 10; i++) {
      DeviceClient.Written post = doctor.create(posts(0), post("follower-" + i), () -> true);
      assertThat(post.status()).as(post.body()).isEqualTo(201);
    }
    long leaderBatch = appliedBatch(leader);
    // Ready only once it fetched what it missed: no further write is needed to show it the gap.
    cluster.restart(follower);
    cluster.printSeats("after the follower (instance " + follower.index() + ") was started again");
    assertThat(appliedBatch(follower)).isGreaterThanOrEqualTo(leaderBatch);
    assertThat(bodies(follower, "follower-%")).isEqualTo(bodies(leader, "follower-%")).hasSize(10);
    assertThat(rowCounts(follower)).isEqualTo(rowCounts(leader));
  }

  @Test
  @Order(2)
  // Not in the default suite: five kills under 32 writers take 4 to 8 minutes on two shared cores.
  // Run with -Dtsunagu.failover.long=true.
  @EnabledIfSystemProperty(named = "tsunagu.failover.long", matches = "true")
  void writes_through_the_proxy_while_the_leader_is_killed_five_times_are_kept_once_everywhere() throws Exception {
    Random random = new Random();
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    java.util.Queue<Long> acknowledgedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger refused = new AtomicInteger();
    java.util.Set<String> completedWithoutAnswer = ConcurrentHashMap.newKeySet();
    List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    // Logged in one after another: each login holds its password hash's memory (Argon2) on the worker it
    // runs on, and 32 at once exhaust a small instance's heap; their sessions then outlive every failover.
    List<DeviceClient> devices = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      devices.add(client(c % USERS));
    }
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int user = c % USERS;
      int number = c;
      DeviceClient device = devices.get(c);
      running.add(clients.submit(() -> {
        for (int n = 0; writing.get(); n++) {
          String body = "ha-" + number + "-" + n;
          DeviceClient.Written written = device.create(posts(user), post(body), writing::get);
          if (written.created()) {
            acknowledged.put(body, new JsonObject(written.body()).getString("id"));
            acknowledgedAt.add(written.startedNanos());
          } else if (written.status() == 409 && written.body().contains("idempotency.completed")) {
            // Committed under its key without its answer: the answer is kept in the create's own
            // transaction, so this is a fault (it was about 1 in 4,000 writes when it was kept after).
            completedWithoutAnswer.add(body);
          } else if (written.status() != -1) {
            refused.incrementAndGet();
            refusals.add(written.status() + " " + written.body());
          }
        }
        return null;
      }));
    }
    List<Duration> outages = new ArrayList<>();
    try {
      for (int round = 0; round < KILLS; round++) {
        InstanceProcesses.Instance leader = cluster.awaitLeader();
        Thread.sleep(1_000 + random.nextInt(3_000));
        long killed = System.nanoTime();
        cluster.kill(leader);
        cluster.waitFor(Duration.ofSeconds(60), "a write acknowledged after the kill",
            () -> acknowledgedAt.stream().anyMatch(t -> t > killed));
        long back = acknowledgedAt.stream().filter(t -> t > killed).min(Long::compare).orElseThrow();
        outages.add(Duration.ofNanos(back - killed));
        // The killed instance comes back as a follower before the next leader is killed. Killed under 32
        // writers it nearly always holds a batch it committed but never replicated (no client was answered
        // for it), which would mark it diverged (RejoinTest); so it is started as the operator does today:
        // from an online backup of the new leader.
        cluster.rebuildFrom(cluster.awaitLeader(), leader);
        cluster.restart(leader);
        cluster.printSeats("after kill " + (round + 1) + " (instance " + leader.index() + " killed and started again)");
      }
    } finally {
      writing.set(false);
      for (Future<?> client : running) {
        client.get(120, TimeUnit.SECONDS);
      }
      clients.shutdown();
    }
    System.out.println("outages after kill -9 of the leader: " + outages + ", writes acknowledged: "
        + acknowledged.size() + ", refusals: " + refusals + ", logins answered 500 and tried again: "
        + DeviceClient.serverErrors() + ", done but answered 409 idempotency.completed: "
        + completedWithoutAnswer.size());
    assertThat(refusals).as("answers other than 201 and retryable ones").isEmpty();
    assertThat(completedWithoutAnswer).as("creates whose answer was lost in a failover").isEmpty();
    InstanceProcesses.Instance leader = cluster.awaitLeader();
    long leaderBatch = appliedBatch(leader);
    for (InstanceProcesses.Instance instance : cluster.instances()) {
      cluster.waitFor(Duration.ofSeconds(60), "instance " + instance.index() + " caught up",
          () -> appliedBatch(instance) >= leaderBatch);
      Map<String, Long> kept = bodies(instance, "ha-%");
      assertThat(kept.keySet()).as("instance %d", instance.index()).containsAll(acknowledged.keySet())
          .containsAll(completedWithoutAnswer);
      assertThat(kept.values()).as("instance %d: a post written twice", instance.index()).allMatch(n -> n == 1);
      AuditChainVerifier.Result audit = AuditChainVerifier.verify(instance.dataDir());
      assertThat(audit.intact()).as("instance %d: %s", instance.index(), audit.report()).isTrue();
    }
    assertThat(acknowledged).hasSizeGreaterThan(CLIENTS);
    // Last, so that a slow failover does not hide a lost or doubled write.
    assertThat(outages).allSatisfy(outage -> assertThat(outage).isLessThanOrEqualTo(RTO));
  }

  @Test
  @Order(3)
  // Not in the default suite: it waits for a lease to lapse, an election and a merge back into the cluster.
  // Run with -Dtsunagu.failover.long=true.
  @EnabledIfSystemProperty(named = "tsunagu.failover.long", matches = "true")
  void a_leader_paused_past_its_lease_has_its_late_writes_refused_and_rejoins_as_a_follower() throws Exception {
    cluster.ensureRunning();
    InstanceProcesses.Instance old = cluster.awaitLeader();
    long oldToken = token(old);
    cluster.printSeats("before instance " + old.index() + " (the leader) is paused");
    // Writes sent straight to the leader while it is paused wait in its sockets; it reads them when resumed.
    DeviceClient direct = new DeviceClient(old.webUrl(), devices.get(1), nodeCertificate);
    direct.login(login(1), PASSWORD);
    cluster.pause(old);
    ExecutorService late = Executors.newFixedThreadPool(4);
    List<Future<DeviceClient.Written>> lateWrites = new ArrayList<>();
    AtomicBoolean trying = new AtomicBoolean(true);
    for (int i = 0; i < 4; i++) {
      String body = "late-" + i;
      lateWrites.add(late.submit(() -> direct.create(posts(1), post(body), () -> false)));
    }
    try {
      cluster.waitFor(Duration.ofSeconds(60), "a new leader", () -> cluster.leader().filter(l -> l != old)
          .isPresent());
      InstanceProcesses.Instance now = cluster.leader().orElseThrow();
      DeviceClient doctor = client(0);
      DeviceClient.Written during = doctor.create(posts(0), post("paused"), () -> true);
      assertThat(during.status()).as(during.body()).isEqualTo(201);
      // Its first batch carries the new leader's token: a higher one.
      assertThat(token(now)).isGreaterThan(oldToken);
    } finally {
      cluster.resume(old);
    }
    List<DeviceClient.Written> answers = new ArrayList<>();
    for (Future<DeviceClient.Written> write : lateWrites) {
      answers.add(write.get(60, TimeUnit.SECONDS));
    }
    late.shutdown();
    trying.set(false);
    // Resumed, it still says it leads until its leadership thread finds the lock gone: fencing covers that window.
    cluster.waitFor(Duration.ofSeconds(60), "the resumed leader no longer leading", () -> cluster.readiness(old)
        .map(r -> !"leader".equals(r.getString("role"))).orElse(false));
    InstanceProcesses.Instance leader = cluster.awaitLeader();
    assertThat(leader).isNotEqualTo(old);
    // No batch the old leader made after it was deposed is applied on the instances that kept serving.
    for (InstanceProcesses.Instance instance : cluster.instances()) {
      if (instance != old) {
        long lastOldBatch = lastBatchOfToken(instance, oldToken);
        assertThat(lastOldBatch).isLessThan(firstBatchAfterToken(instance, oldToken));
      }
    }
    // A late write answered 201 is one the old leader passed on to the new one: it is there once.
    Map<String, Long> onLeader = bodies(leader, "late-%");
    for (int i = 0; i < answers.size(); i++) {
      if (answers.get(i).created()) {
        assertThat(onLeader).containsEntry("late-" + i, 1L);
      }
    }
    System.out.println("late writes of the paused leader: " + answers.stream().map(w -> w.status() + " "
        + w.body()).toList());
    // Resumed past its lease, it commits none of the late writes (cluster.lease_lapsed) before its check finds
    // the lock gone, so it holds no batch the others lack: it merges back into the cluster, follows and
    // fetches what the new leader wrote meanwhile at once, without waiting for a further write.
    cluster.waitFor(Duration.ofSeconds(90), "the old leader following, ready", () -> cluster.readiness(old)
        .map(r -> "follower".equals(r.getString("role")) && r.getBoolean("ready")).orElse(false));
    JsonObject rejoined = cluster.readiness(old).orElseThrow();
    System.out.println("the paused leader after it was resumed: " + rejoined.encode());
    assertThat(lastBatchOfToken(old, oldToken)).isEqualTo(lastBatchOfToken(leader, oldToken));
    cluster.waitFor(Duration.ofSeconds(30), "the post written while it was paused on the old leader, no further write",
        () -> bodies(old, "paused").getOrDefault("paused", 0L) == 1L);
    DeviceClient.Written after = client(0).create(posts(0), post("after-resume"), () -> true);
    assertThat(after.status()).as(after.body()).isEqualTo(201);
    long leaderBatch = appliedBatch(leader);
    cluster.waitFor(Duration.ofSeconds(60), "the old leader caught up", () -> appliedBatch(old) >= leaderBatch);
    assertThat(bodies(old, "%")).isEqualTo(bodies(leader, "%"));
  }

  private DeviceClient client(int user) {
    DeviceClient client = new DeviceClient(cluster.proxyUrl(), devices.get(user), nodeCertificate);
    client.login(login(user), PASSWORD);
    return client;
  }

  private static String login(int i) {
    return "ina-ha" + i;
  }

  private String posts(int user) {
    return "/api/v1/patients/" + boards.get(login(user)) + "/posts";
  }

  private static JsonObject post(String body) {
    return new JsonObject().put("category", "申し送り").put("body", body);
  }

  private long appliedBatch(InstanceProcesses.Instance instance) {
    return cluster.read(instance, c -> {
      try (var rs = c.createStatement().executeQuery("select batch_id from cluster_position where id = 1")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private long token(InstanceProcesses.Instance instance) {
    return cluster.read(instance, c -> {
      try (var rs = c.createStatement().executeQuery("select token from cluster_position where id = 1")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private long lastBatchOfToken(InstanceProcesses.Instance instance, long token) {
    return cluster.read(instance, c -> {
      try (var s = c.prepareStatement("select coalesce(max(batch_id), 0) from cluster_batches where token = ?")) {
        s.setLong(1, token);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private long firstBatchAfterToken(InstanceProcesses.Instance instance, long token) {
    return cluster.read(instance, c -> {
      try (var s = c.prepareStatement("select coalesce(min(batch_id), 0) from cluster_batches where token > ?")) {
        s.setLong(1, token);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  /** Each post body like {@code pattern} on the instance, with how many times it is there. */
  private Map<String, Long> bodies(InstanceProcesses.Instance instance, String pattern) {
    return cluster.read(instance, c -> {
      Map<String, Long> bodies = new HashMap<>();
      try (var s = c.prepareStatement("select body, count(*) from posts where body like ? group by body")) {
        s.setString(1, pattern);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            bodies.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return bodies;
    });
  }

  /** Rows of the tables a write of this test touches, and the audit log's length and head. */
  private Map<String, Object> rowCounts(InstanceProcesses.Instance instance) {
    return cluster.read(instance, c -> {
      Map<String, Object> counts = new HashMap<>();
      for (String table : List.of("posts", "care_boards", "sessions", "audit_log", "cluster_batches")) {
        try (var rs = c.createStatement().executeQuery("select count(*) from " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
      try (var rs = c.createStatement().executeQuery("select hash from audit_log order by seq desc limit 1")) {
        counts.put("audit head", rs.next() ? rs.getString(1) : "");
      }
      return counts;
    });
  }
}
