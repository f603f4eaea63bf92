package jp.tsunagu.node.teamsync;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.Federation;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.live.LiveRoutes;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareActor;

/**
 * Team sync's figures, each against a baseline measured in the same run:
 * <ul>
 *   <li>the two federation paths through the public web API and a member's live stream, three nodes, the
 *       receiving client measuring ({@link TwoPaths}): home → partner and partner → home → partner, p50, p90,
 *       p99 and max over 500 messages at 20/s ({@code -Dsync.pathMessages=N}), CPU and commits (fsyncs) per
 *       message, and the highest rate path 1 keeps up (20 to 200/s, {@code -Dsync.stepSeconds=N} each), each
 *       printed beside the targets;</li>
 *   <li>propagation latency from a post accepted on the home node to its arrival on a member node
 *       (p50, p99), against a raw round trip over the same mutual-TLS client;</li>
 *   <li>catch-up after a partition that left 100,000 events behind: events applied per second on the
 *       member node, signature checks included, against the raw Ed25519 verify rate;</li>
 *   <li>the member node's outbox after a partition: 5,000 writes made while the home node was down, the time
 *       from the home node's start until every one is accepted (target 10 s), and submissions per event
 *       counted on the home node (target 1.00);</li>
 *   <li>a shared board's write rate against a local board's, same clients, same run, with the share of the
 *       database writer thread's time spent signing ({@link SharedWriteRate});</li>
 *   <li>on demand only ({@code -Dsync.parts=prefecture}): a simulated prefecture of 50 nodes under one
 *       agreement ({@link Prefecture}).</li>
 * </ul>
 * Run alone with {@code mvn -B -q -pl node -am -Pbench-sync verify -DskipTests} ({@code -Dsync.behind=N},
 * {@code -Dsync.backlog=N}, {@code -Dsync.parts=paths,writerate,propagation,outbox,catchup} for some of them).
 */
public final class SyncBenchmark {

  private static final int POSTS = 300;
  /** Events left behind by the partition: 100,000 by default, {@code -Dsync.behind=N} for a shorter run. */
  private static final int BEHIND = Integer.getInteger("sync.behind", 100_000);
  /** The member node's writes left in its outbox by the partition: 5,000 by default, {@code -Dsync.backlog=N}. */
  private static final int BACKLOG = Integer.getInteger("sync.backlog", 5_000);
  private static final List<String> PARTS = List.of(System.getProperty("sync.parts",
      "paths,writerate,propagation,outbox,catchup")
      .split(","));

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-sync-bench-");
    System.out.println("Tsunagu team sync benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
    if (PARTS.contains("paths")) {
      TwoPaths.run(dir.resolve("paths"));
    }
    if (PARTS.contains("prefecture")) {
      try {
        Prefecture.run(dir.resolve("prefecture"));
      } catch (Exception | Error e) {
        // the nodes' threads would keep this JVM (and its gigabytes) alive after main failed
        e.printStackTrace();
        System.exit(1);
      }
    }
    if (PARTS.stream().noneMatch(p -> List.of("writerate", "propagation", "outbox", "catchup").contains(p))) {
      System.exit(0);
    }
    try (CrossNodeTestbed bed = CrossNodeTestbed.start(dir.resolve("pair"), "ina", "minamiminowa")) {
      CareClient doctor = bed.inaDoctor();
      CareClient nurse = bed.mmNurse();
      String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
      if (PARTS.contains("writerate")) {
        SharedWriteRate.run(bed, doctor, patientId);
      }
      if (PARTS.contains("propagation")) {
        propagation(bed, doctor, patientId);
      }
      if (PARTS.contains("outbox")) {
        outboxBacklog(bed, nurse.userId, patientId);
      }
      if (PARTS.contains("catchup")) {
        catchUp(bed, doctor.userId, patientId);
      }
    }
    System.exit(0);
  }

  /** Arrival is when the member node publishes the applied post to its live streams, after commit. */
  private static void propagation(CrossNodeTestbed bed, CareClient doctor, String patientId) throws Exception {
    TsunaguNode ina = bed.node("ina");
    TsunaguNode minamiminowa = bed.node("minamiminowa");
    BlockingQueue<Long> accepted = new ArrayBlockingQueue<>(POSTS * 4);
    BlockingQueue<Long> arrived = new ArrayBlockingQueue<>(POSTS * 4);
    ina.feature(jp.tsunagu.node.care.CareFeature.class).context().live().listen(patientId);
    ina.vertx().eventBus().<JsonObject>consumer(LiveRoutes.address(patientId), m -> {
      if ("post".equals(m.body().getString("type"))) {
        accepted.add(System.nanoTime());
      }
    });
    minamiminowa.feature(jp.tsunagu.node.care.CareFeature.class).context().live().listen(patientId);
    minamiminowa.vertx().eventBus().<JsonObject>consumer(LiveRoutes.address(patientId), m -> {
      if ("post".equals(m.body().getString("type"))) {
        arrived.add(System.nanoTime());
      }
    });
    long[] latency = new long[POSTS];
    for (int i = -20; i < POSTS; i++) {
      doctor.post("/api/v1/patients/" + patientId + "/posts", CrossNodeTestbed.note("ベンチマークの記録 " + i));
      long sent = accepted.poll(30, TimeUnit.SECONDS);
      long got = arrived.poll(30, TimeUnit.SECONDS);
      if (i >= 0) {
        latency[i] = got - sent;
      }
    }
    FederationClient client = FederationClient.of(ina.vertx(), TestNodes.federation(ina));
    var card = minamiminowa.services().keys().identity().card();
    long[] all = new long[POSTS + 20];
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    ina.vertx().getOrCreateContext().runOnContext(v -> roundTrips(client, card, all, 0, done));
    done.future().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    long[] raw = Arrays.copyOfRange(all, 20, all.length);
    client.close();
    Arrays.sort(latency);
    Arrays.sort(raw);
    System.out.printf("propagation post accepted -> arrived: p50 %.1f ms  p99 %.1f ms  (targets 20 / 100 ms)%n",
        ms(latency[POSTS / 2]), ms(latency[POSTS * 99 / 100]));
    System.out.printf("raw mutual-TLS round trip:           p50 %.1f ms  p99 %.1f ms  ratio p50 %.1fx  p99 %.1fx%n",
        ms(raw[POSTS / 2]), ms(raw[POSTS * 99 / 100]), (double) latency[POSTS / 2] / raw[POSTS / 2],
        (double) latency[POSTS * 99 / 100] / raw[POSTS * 99 / 100]);
  }

  /** The member node is down while the home node logs 100,000 events; then it comes back. */
  private static void catchUp(CrossNodeTestbed bed, String doctorId, String patientId) throws Exception {
    bed.stopNode("minamiminowa");
    TsunaguNode ina = bed.node("ina");
    TeamSync sync = ina.feature(TeamSyncFeature.class).team();
    CareActor doctor = CrossNodeTestbed.actor(ina, doctorId);
    for (int batch = 0; batch < BEHIND / 2_000; batch++) {
      ina.services().database().submitWrite(c -> {
        for (int i = 0; i < 2_000; i++) {
          String postId = CareIds.next();
          PostSql.insert(c, new PostSql.NewPost(postId, patientId, doctor, "連絡", "note",
              "訪問看護。血圧 128/76、食欲あり。夜間の不眠の訴えあり、主治医へ報告予定。", null, null, List.of(), List.of()),
              ina.services().clock().instant().toString());
          sync.log().record(c, patientId, sync.log().events().post(c, postId));
        }
        return null;
      }).join();
    }
    long target = ina.services().database().submitRead(c -> TeamLogSql.latestSeq(c, patientId)).join();
    // the home node signs after each commit: the clock measures the member's catch-up, not the home's signing
    while (CrossNodeTestbed.count(ina, "select count(*) from team_events_unsigned where ? is not null", "x") > 0) {
      sleep(100);
    }

    TsunaguNode minamiminowa = bed.startNode("minamiminowa");
    long before = minamiminowa.services().database().submitRead(c -> TeamLogSql.latestSeq(c, patientId)).join();
    long start = System.nanoTime();
    long cursor = before;
    long reported = System.nanoTime();
    while (cursor < target) {
      Thread.sleep(20);
      if (System.nanoTime() - reported > 30_000_000_000L) {
        reported = System.nanoTime();
        System.out.printf("  catching up: %,d of %,d%n", cursor - before, target - before);
      }
      cursor = minamiminowa.services().database().submitRead(c -> TeamLogSql.latestSeq(c, patientId)).join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double applied = (target - before) / seconds;

    NodeIdentity home = ina.services().keys().identity();
    byte[] message = "訪問看護。血圧 128/76、食欲あり。".repeat(20).getBytes(StandardCharsets.UTF_8);
    byte[] signature = home.sign(message);
    var key = home.card().signingKey();
    for (int i = 0; i < 20_000; i++) {
      key.verify(message, signature);
    }
    long verifyStart = System.nanoTime();
    int verifies = 40_000;
    for (int i = 0; i < verifies; i++) {
      key.verify(message, signature);
    }
    double rawRate = verifies / ((System.nanoTime() - verifyStart) / 1e9);
    System.out.printf("catch-up of %,d events: %,.0f events/s applied (two signatures each)  raw Ed25519 verify"
        + " %,.0f/s  ratio %.2f (target >= 0.5)%n", target - before, applied, rawRate, applied / rawRate);
  }

  /**
   * The home node is down while the member node's professional writes {@link #BACKLOG} posts (recorded as the
   * care code records them: signed, in the outbox); then the home node starts, and the clock runs until the
   * member node's outbox is empty. The home node counts the submissions it received per accepted event.
   */
  private static void outboxBacklog(CrossNodeTestbed bed, String nurseId, String patientId) {
    TsunaguNode member = bed.node("minamiminowa");
    bed.stopNode("ina");
    TeamSync sync = member.feature(TeamSyncFeature.class).team();
    CareActor nurse = CrossNodeTestbed.actor(member, nurseId);
    for (int done = 0; done < BACKLOG; done += 1_000) {
      int batch = Math.min(1_000, BACKLOG - done);
      member.services().database().submitWrite(c -> {
        for (int i = 0; i < batch; i++) {
          String postId = CareIds.next();
          PostSql.insert(c, new PostSql.NewPost(postId, patientId, nurse, "連絡", "note",
              "訪問看護。血圧 128/76、食欲あり。夜間の不眠の訴えあり、主治医へ報告予定。", null, null, List.of(), List.of()),
              member.services().clock().instant().toString());
          sync.log().record(c, patientId, sync.log().events().post(c, postId));
        }
        return null;
      }).join();
    }
    long waiting = member.services().database().submitRead(OutboxSql::outboxWaiting).join();
    long start = System.nanoTime();
    TsunaguNode home = bed.startNode("ina");
    long started = System.nanoTime();
    while (member.services().database().submitRead(OutboxSql::outboxWaiting).join() > 0) {
      sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Submissions.Counts counts = home.feature(TeamSyncFeature.class).team().submissionCounts();
    long accepted = home.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select count(*) from team_events where board_id = ? and origin = 'minamiminowa'"
          + " and type = 'care.post.created'")) {
        s.setString(1, patientId);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
    System.out.printf("outbox after a partition: %,d writes waiting; converged %.1f s after the home node was started"
        + " (%.1f s of it the start itself) = %,.0f writes/s (target <= 10 s); home node: %,d accepted, %,d"
        + " submissions received = %.2f per event, %,d repeats (target 1.00)%n", waiting, seconds,
        (started - start) / 1e9, waiting / seconds, accepted, counts.received(),
        accepted == 0 ? 0.0 : (double) counts.received() / accepted, counts.repeated());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sequential round trips on the client's own event loop, the way sync makes its calls. */
  private static void roundTrips(FederationClient client, jp.tsunagu.federation.identity.NodeCard card, long[] times,
      int i, io.vertx.core.Promise<Void> done) {
    if (i == times.length) {
      done.complete();
      return;
    }
    long start = System.nanoTime();
    client.call(card, HttpMethod.GET, jp.tsunagu.federation.wire.FederationV1.BOARDS, null, null).onComplete(r -> {
      times[i] = System.nanoTime() - start;
      if (r.failed()) {
        done.fail(r.cause());
      } else {
        roundTrips(client, card, times, i + 1, done);
      }
    });
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
