package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.team;
import static jp.tsunagu.node.teamsync.SignedBoardLogs.waitingInOutbox;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareActor;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A member node's outbox drains to the home node a page per request: a partition of thousands of writes
 * converges once the home node is back, each write submitted once; while the home node is away a
 * failure is logged once (not per write) and the backoff grows per attempt; a page answers each envelope
 * as the single route would, in order.
 */
class OutboxPagesTest {

  @TempDir
  Path dir;
  CrossNodeTestbed bed;
  ListAppender<ILoggingEvent> lines;
  Logger engineLog;

  @AfterEach
  void stop() {
    if (engineLog != null) {
      engineLog.detachAppender(lines);
      engineLog.setLevel(null);
    }
    bed.close();
  }

  private static final Pattern RETRY = Pattern.compile("retry in (\\d+) ms");

  /**
   * Waits until no write waits for the home node, for as long as the outbox keeps draining: each page
   * the home answers takes writes off it, and one not answered within the call's timeout is sent again
   * after the backoff, so it stands still no longer than both. A fixed 30 s was the machine's bound, not
   * the sync's: at load 36-45 the first page of 3,030 writes took 4.7 s.
   */
  private static void drains(TsunaguNode member) {
    long stillAtMost = TimeUnit.MILLISECONDS.toNanos(FederationClient.TIMEOUT_MILLIS + SyncEngine.MAX_BACKOFF.toMillis());
    long last = waitingInOutbox(member);
    long moved = System.nanoTime();
    while (last > 0) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      long now = waitingInOutbox(member);
      if (now < last) {
        moved = System.nanoTime();
      } else if (System.nanoTime() - moved > stillAtMost) {
        throw new AssertionError(last + " writes still wait for the home node, and none left the outbox for "
            + TimeUnit.NANOSECONDS.toSeconds(stillAtMost) + " s");
      }
      last = now;
    }
  }

  /** Partner writes straight into the member node's log, as its care code records them (signed, in the outbox). */
  private static void writeBehind(TsunaguNode node, String nurseId, String patientId, int count) {
    TeamSync sync = team(node);
    CareActor nurse = CrossNodeTestbed.actor(node, nurseId);
    for (int done = 0; done < count; done += 500) {
      int batch = Math.min(500, count - done);
      int from = done;
      node.services().database().submitWrite(c -> {
        for (int i = 0; i < batch; i++) {
          String postId = CareIds.next();
          PostSql.insert(c, new PostSql.NewPost(postId, patientId, nurse, "連絡", "note",
              "訪問看護の記録 " + (from + i) + "。血圧 128/76、食欲あり。", null, null, List.of(), List.of()),
              node.services().clock().instant().toString());
          sync.log().record(c, patientId, sync.log().events().post(c, postId));
        }
        return null;
      }).join();
    }
  }

  @Test
  void a_partition_of_thousands_of_writes_converges_once_the_home_is_back_with_each_write_submitted_once() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    TsunaguNode member = bed.node("minamiminowa");
    engineLog = (Logger) LoggerFactory.getLogger(SyncEngine.class);
    lines = new ListAppender<>();
    lines.start();
    engineLog.addAppender(lines);
    engineLog.setLevel(Level.DEBUG);

    bed.stopNode("ina");
    writeBehind(member, nurse.userId, patientId, 3_000);
    for (int i = 0; i < 30; i++) {
      assertThat(nurse.post("/api/v1/patients/" + patientId + "/posts", note("home away " + i)).status())
          .isEqualTo(201);
    }
    eventually("a few attempts while the home node is away", () -> attempts().size() >= 4);
    List<ILoggingEvent> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().startsWith("partner ina failed")).toList();
    assertThat(warnings).as("one warning when the home node stops answering, not one per write").hasSize(1);
    List<Long> retries = attempts();
    assertThat(retries.size()).as("attempts, not writes: 30 writes were made through the API")
        .isLessThan(12);
    for (int i = 1; i < retries.size(); i++) {
      assertThat(retries.get(i)).as("the backoff grows per attempt").isGreaterThanOrEqualTo(retries.get(i - 1));
    }
    assertThat(retries.get(0)).as("the first retries are soon").isLessThanOrEqualTo(1_000);
    assertThat(waitingInOutbox(member)).isEqualTo(3_030);

    TsunaguNode home = bed.startNode("ina");
    drains(member);
    assertThat(CrossNodeTestbed.count(home, "select count(*) from team_events where board_id = ?"
        + " and origin = 'minamiminowa' and type = 'care.post.created'", patientId)).isEqualTo(3_030);
    Submissions.Counts counts = team(home).submissionCounts();
    assertThat(counts.received()).as("submissions per event 1.00").isEqualTo(3_030);
    assertThat(counts.repeated()).isZero();
    // One line per change of state: each spell of failures (one warning) ends with one "back". A page that
    // outlasted the call's timeout on a loaded machine is a spell of its own, not a line per attempt.
    long spells = new ArrayList<>(lines.list).stream().filter(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().startsWith("partner ina failed")).count();
    assertThat(new ArrayList<>(lines.list).stream().filter(e -> e.getLevel() == Level.INFO
        && e.getFormattedMessage().startsWith("partner ina is back"))).hasSize((int) spells);
  }

  private List<Long> attempts() {
    List<Long> millis = new ArrayList<>();
    for (ILoggingEvent e : new ArrayList<>(lines.list)) {
      Matcher m = RETRY.matcher(e.getFormattedMessage());
      if (e.getFormattedMessage().startsWith("partner ina failed") && m.find()) {
        millis.add(Long.parseLong(m.group(1)));
      }
    }
    return millis;
  }

  @Test
  void every_write_of_a_partner_reaches_the_home_node_once_while_both_are_up() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
    TsunaguNode home = bed.node("ina");
    long before = team(home).submissionCounts().received();
    int writers = 4;
    int each = 50;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      CareClient client = bed.login("minamiminowa", nurse.userId, "mm-nurse");
      Thread thread = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          assertThat(client.post("/api/v1/patients/" + patientId + "/posts", note("記録 " + writer + "-" + i)).status())
              .isEqualTo(201);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(3));
    }
    drains(bed.node("minamiminowa"));
    long accepted = CrossNodeTestbed.count(home, "select count(*) from team_events where board_id = ?"
        + " and origin = 'minamiminowa' and type = 'care.post.created'", patientId);
    assertThat(accepted).isEqualTo(writers * each);
    Submissions.Counts counts = team(home).submissionCounts();
    assertThat(counts.received() - before).as("submissions per event 1.00").isEqualTo(accepted);
    assertThat(counts.repeated()).isZero();
  }

  @Test
  void a_page_answers_each_envelope_in_order_as_the_single_route_would_and_refuses_a_malformed_page() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "松島");
    TsunaguNode member = bed.node("minamiminowa");
    TsunaguNode home = bed.node("ina");
    bed.stopNode("ina");
    writeBehind(member, nurse.userId, patientId, 2);
    // the writes are signed after their commit; the outbox gives none before
    CrossNodeTestbed.eventually("the member node signs its writes", () -> CrossNodeTestbed.count(member,
        "select count(*) from sync_outbox_unsigned where ? is not null", "x") == 0);
    List<String> envelopes = member.services().database().submitRead(c -> OutboxSql.pendingOutbox(c, "ina", 10))
        .join().stream().map(OutboxSql.OutboxRow::envelope).toList();
    // sent by hand below, so the member node does not deliver them itself
    member.services().database().submitWrite(c -> c.createStatement().executeUpdate("delete from sync_outbox")).join();
    home = bed.startNode("ina");
    String good = envelopes.get(0);
    String[] parts = envelopes.get(1).split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
    long eventsBefore = CrossNodeTestbed.count(home, "select count(*) from team_events where board_id = ?", patientId);

    FederationClient client = FederationClient.of(member.vertx(), TestNodes.federation(member));
    var card = home.services().keys().identity().card();
    try {
      String page = new JsonObject().put("events", new JsonArray(List.of(tampered, good, "not-a-jws"))).toString();
      JsonObject[] answer = new JsonObject[1];
      // the restarted home node holds its boards until its partners have told their cursors: "failed", send again
      eventually("the home node settles the page", () -> {
        answer[0] = call(client, card, page, 200);
        return !"failed".equals(answer[0].getJsonArray("results").getJsonObject(1).getString("status"));
      });
      JsonArray results = answer[0].getJsonArray("results");
      assertThat(results).hasSize(3);
      assertThat(results.getJsonObject(0).getString("status")).isEqualTo("rejected");
      assertThat(results.getJsonObject(0).getString("code")).isEqualTo("envelope.signature_invalid");
      assertThat(results.getJsonObject(1).getString("status")).isEqualTo("accepted");
      assertThat(results.getJsonObject(1).getString("envelope")).isNotBlank();
      assertThat(results.getJsonObject(2).getString("code")).isEqualTo("envelope.malformed");
      assertThat(CrossNodeTestbed.count(home, "select count(*) from team_events where board_id = ?", patientId))
          .isEqualTo(eventsBefore + 1);

      JsonObject again = call(client, card, new JsonObject().put("events", new JsonArray(List.of(good))).toString(), 200);
      assertThat(again.getJsonArray("results").getJsonObject(0).getString("envelope"))
          .as("the same event again gets the same countersigned envelope")
          .isEqualTo(results.getJsonObject(1).getString("envelope"));

      for (String body : List.of("", "[]", "{\"events\": []}", "{\"events\": [1]}", "{\"events\": \"x\"}",
          new JsonObject().put("events", new JsonArray(java.util.Collections.nCopies(FederationV1.SUBMISSION_PAGE_MAX + 1,
              good))).toString())) {
        JsonObject refused = call(client, card, body, 400);
        assertThat(refused.getString("code")).as(body.length() > 60 ? "a page over the limit" : body)
            .isEqualTo("request.malformed");
      }
      assertThat(CrossNodeTestbed.count(home, "select count(*) from team_events where board_id = ?", patientId))
          .isEqualTo(eventsBefore + 1);
    } finally {
      client.close();
    }
  }

  private static JsonObject call(FederationClient client, jp.tsunagu.federation.identity.NodeCard card, String body,
      int status) {
    FederationClient.Reply reply;
    try {
      reply = client.call(card, HttpMethod.POST, FederationV1.SUBMISSIONS, Buffer.buffer(body),
          "application/json").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    return new JsonObject(reply.body());
  }
}
