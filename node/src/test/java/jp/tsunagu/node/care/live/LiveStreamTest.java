package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.testing.SseEvents;
import jp.tsunagu.node.testing.TestSql;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveStreamTest {

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-live", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-live", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-live", "藤澤", "聡子", "care_manager", bed.nursingStation);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("中継", "ハナ", "チュウケイ", "ハナ", "1930-03-03"))
        .json().getString("id");
    for (CareClient member : new CareClient[] {nurse, careManager}) {
      doctor.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", member.userId).put("teamRole", "訪問看護"));
      member.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    }
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
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

  @Test
  void a_member_hears_of_new_posts_and_read_receipts_but_nothing_of_a_direct_post_to_others() throws Exception {
    HttpResponse<Stream<String>> stream = careManager.stream("/api/v1/patients/" + patient + "/live");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Iterator<String> lines = stream.body().iterator();
    String direct = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "相談")
        .put("body", "看護師さんだけに").put("recipients", new JsonArray().add(nurse.userId))).json().getString("id");
    String open = doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "明日の訪問は10時です")).json().getString("id");
    JsonObject first = new JsonObject(nextData(lines));
    assertThat(first.getString("type")).isEqualTo("post");
    assertThat(first.getString("postId")).isEqualTo(open);
    nurse.post("/api/v1/patients/" + patient + "/reads",
        new JsonObject().put("postIds", new JsonArray().add(direct).add(open)));
    JsonObject read = new JsonObject(nextData(lines));
    assertThat(read.getString("type")).isEqualTo("read");
    assertThat(read.getString("userId")).isEqualTo(nurse.userId);
    assertThat(read.getJsonArray("postIds")).as("a read receipt never names a direct post to a non-recipient")
        .containsExactly(open);
    stream.body().close();
  }

  /** A patient of its own with the doctor, the nurse and the care manager in its team. */
  private String patientOfItsOwn(String family) {
    String id = doctor.post("/api/v1/patients", CareApiTest.patient(family, "ハナ", "サイカイ", "ハナ", "1930-04-04"))
        .json().getString("id");
    for (CareClient member : new CareClient[] {nurse, careManager}) {
      doctor.post("/api/v1/patients/" + id + "/team/invitations",
          new JsonObject().put("userId", member.userId).put("teamRole", "訪問看護"));
      member.post("/api/v1/invitations/" + id + "/accept", new JsonObject());
    }
    return id;
  }

  /** The next post's event: the team's own events (its members joining) may still be on their way. */
  private static SseEvents.Event nextPost(SseEvents events) throws Exception {
    SseEvents.Event event = events.next();
    while (!event.type().equals("post")) {
      event = events.next();
    }
    return event;
  }

  private String note(String board, String body, CareClient... recipients) {
    JsonArray to = new JsonArray();
    for (CareClient recipient : recipients) {
      to.add(recipient.userId);
    }
    return doctor.post("/api/v1/patients/" + board + "/posts", new JsonObject().put("category", "連絡")
        .put("body", body).put("recipients", to)).json().getString("id");
  }

  /** The care manager's stream of the board hears of a post the doctor writes; the event, once the stream is closed. */
  private SseEvents.Event lastHeard(String board, String body) throws Exception {
    HttpResponse<Stream<String>> stream = careManager.stream("/api/v1/patients/" + board + "/live");
    SseEvents heard = new SseEvents(stream.body());
    String post = note(board, body);
    SseEvents.Event last = nextPost(heard);
    assertThat(last.data().getString("postId")).isEqualTo(post);
    stream.body().close();
    return last;
  }

  /** A stream's reset and the post written after it, which the stream then heard. */
  private record Reset(SseEvents.Event event, String postAfter) {}

  /**
   * The care manager's stream of the board opened with {@code lastEventId}: its first event is a reset to
   * the newest event kept, then it hears of a post written after it as any stream does.
   */
  private Reset resetThenLive(String board, String lastEventId) throws Exception {
    HttpResponse<Stream<String>> stream = careManager.stream("/api/v1/patients/" + board + "/live", lastEventId);
    assertThat(stream.statusCode()).isEqualTo(200);
    SseEvents events = new SseEvents(stream.body());
    SseEvents.Event reset = events.next();
    assertThat(reset.type()).isEqualTo("reset");
    assertThat(reset.number()).isEqualTo(TestSql.count(bed.node, "select coalesce(max(id), 0) from live_events"));
    assertThat(reset.id()).matches("[0-9]+-[0-9a-f]{16}");
    String post = note(board, "リセット後の連絡");
    assertThat(nextPost(events).data().getString("postId")).isEqualTo(post);
    stream.body().close();
    return new Reset(reset, post);
  }

  @Test
  void a_stream_opened_again_with_its_last_event_id_gets_exactly_what_it_missed_and_a_direct_post_only_if_a_recipient()
      throws Exception {
    String board = patientOfItsOwn("再開");
    String path = "/api/v1/patients/" + board + "/live";
    SseEvents.Event last = lastHeard(board, "切断前");
    assertThat(last.data().fieldNames()).containsExactlyInAnyOrder("type", "postId");

    // Written while no stream of the board is open.
    String open = note(board, "切断中の連絡");
    String direct = note(board, "看護師さんだけに", nurse);
    String later = note(board, "切断中の連絡その2");
    String opens = "select count(*) from audit_log where action = 'care.live.open' and actor = ? and detail like ?";
    long audited = TestSql.count(bed.node, opens, careManager.userId, "%\"after\":" + last.number() + "}%");
    assertThat(last.id()).as("the event's id and the tag of its row").matches("[0-9]+-[0-9a-f]{16}");

    HttpResponse<Stream<String>> again = careManager.stream(path, last.id());
    assertThat(again.statusCode()).isEqualTo(200);
    SseEvents resumed = new SseEvents(again.body());
    SseEvents.Event missed = resumed.next();
    assertThat(missed.data().getString("postId")).isEqualTo(open);
    SseEvents.Event missedLater = resumed.next();
    assertThat(missedLater.data().getString("postId")).as("the direct post to the nurse is left out").isEqualTo(later);
    assertThat(missedLater.number()).isGreaterThan(missed.number()).isGreaterThan(last.number());
    // Its opening is audited once, with where it took up from.
    assertThat(TestSql.count(bed.node, opens, careManager.userId, "%\"after\":" + last.number() + "}%"))
        .isEqualTo(audited + 1);
    // Then live, with nothing repeated in between.
    String after = note(board, "再接続後");
    SseEvents.Event live = resumed.next();
    assertThat(live.data().getString("postId")).isEqualTo(after);
    assertThat(live.number()).isGreaterThan(missedLater.number());
    again.body().close();

    // The recipient, taking up from the same id, hears of the direct post too, in order; her page was
    // opened before ids carried tags: the id alone is taken at its word.
    HttpResponse<Stream<String>> nurses = nurse.stream(path, String.valueOf(last.number()));
    SseEvents hers = new SseEvents(nurses.body());
    assertThat(List.of(hers.next(), hers.next(), hers.next(), hers.next()).stream()
        .map(event -> event.data().getString("postId")).toList()).containsExactly(open, direct, later, after);
    nurses.body().close();
  }

  @Test
  void a_non_member_with_a_last_event_id_gets_404_and_hears_nothing() {
    String board = patientOfItsOwn("部外");
    String post = note(board, "チームだけの連絡");
    CareClient outsider = bed.professional("dr-live-out2", "小松", "誠", "doctor", bed.clinic);
    HttpResponse<Stream<String>> refused = outsider.stream("/api/v1/patients/" + board + "/live", "1");
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(String.join("\n", refused.body().toList())).doesNotContain(post).doesNotContain("event:");
  }

  @Test
  void a_malformed_last_event_id_is_refused_with_400_and_writes_nothing() {
    String path = "/api/v1/patients/" + patient + "/live";
    long rows = TestSql.count(bed.node, "select count(*) from audit_log");
    for (String bad : List.of("abc", "-1", "12345678901234567890", "1.5", "1 2", "12-", "12-0123456789ABCDEF",
        "12-0123456789abcde", "12-0123456789abcdef0", "-0123456789abcdef", "12-0123456789abcdeg")) {
      HttpResponse<Stream<String>> refused = careManager.stream(path, bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      JsonObject error = new JsonObject(String.join("\n", refused.body().toList()));
      assertThat(error.getString("code")).isEqualTo("live.last_event_id_invalid");
    }
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log")).isEqualTo(rows);
  }

  @Test
  void an_id_this_node_never_gave_gets_one_reset_then_live_events() throws Exception {
    String board = patientOfItsOwn("他所");
    long newest = TestSql.count(bed.node, "select coalesce(max(id), 0) from live_events");
    assertThat(resetThenLive(board, String.valueOf(newest + 1_000_000)).event().number()).isEqualTo(newest);
  }

  @Test
  void an_id_this_instance_holds_for_another_event_gets_a_reset_instead_of_a_silent_skip() throws Exception {
    String board = patientOfItsOwn("別物");
    SseEvents.Event last = lastHeard(board, "消えた連絡");
    // As after a failover: the page heard this id from a leader deposed before its batch was replicated,
    // and the next leader gave the id to another event, then wrote more after it.
    bed.node.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("update live_events set event = ?, written_at = ? where id = ?")) {
        s.setString(1, new JsonObject().put("type", "post").put("postId", "another-post").encode());
        s.setString(2, "2026-12-07T00:00:00.123456Z");
        s.setLong(3, last.number());
        s.executeUpdate();
      }
      return null;
    }).join();
    note(board, "新しいリーダーの連絡");

    // Not the events after it, which would skip the one it stands for.
    Reset reset = resetThenLive(board, last.id());

    // The same id with the tag of the row held now is taken up from as any other.
    HttpResponse<Stream<String>> current = careManager.stream("/api/v1/patients/" + board + "/live",
        reset.event().id());
    SseEvents fromReset = new SseEvents(current.body());
    assertThat(nextPost(fromReset).data().getString("postId")).isEqualTo(reset.postAfter());
    current.body().close();
  }

  @Test
  void more_missed_events_than_a_stream_replays_get_one_reset_instead() throws Exception {
    String board = patientOfItsOwn("大量");
    SseEvents.Event last = lastHeard(board, "最初");
    // More events of the board than one replay sends, kept as writes keep them.
    bed.node.services().database().submitWrite(c -> {
      for (int i = 0; i <= 500; i++) {
        LiveLog.record(c, board, new JsonObject().put("type", "sync"), "2026-01-01T00:00:00Z");
      }
      return null;
    }).join();
    resetThenLive(board, last.id());
  }

  @Test
  void a_non_member_cannot_open_the_stream() {
    CareClient outsider = bed.professional("dr-live-out", "小松", "誠", "doctor", bed.clinic);
    assertThat(outsider.get("/api/v1/patients/" + patient + "/live").status()).isEqualTo(404);
  }

  @Test
  void one_user_s_streams_beyond_twenty_are_refused_with_429_and_write_nothing_until_one_closes() throws Exception {
    CareClient pharmacist = bed.professional("ph-live", "春日", "大輔", "pharmacist", bed.clinic);
    doctor.post("/api/v1/patients/" + patient + "/team/invitations",
        new JsonObject().put("userId", pharmacist.userId).put("teamRole", "薬剤師"));
    pharmacist.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
    String path = "/api/v1/patients/" + patient + "/live";
    java.util.List<HttpResponse<Stream<String>>> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        HttpResponse<Stream<String>> stream = pharmacist.stream(path);
        assertThat(stream.statusCode()).isEqualTo(200);
        open.add(stream);
      }
      long rows = jp.tsunagu.node.testing.TestSql.count(bed.node, "select count(*) from audit_log");
      for (int i = 0; i < 5; i++) {
        HttpResponse<Stream<String>> refused = pharmacist.stream(path);
        assertThat(refused.statusCode()).isEqualTo(429);
        String body = String.join("\n", refused.body().toList());
        JsonObject error = new JsonObject(body);
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
        assertThat(error.getString("code")).isEqualTo("live.too_many_streams");
        assertThat(body).doesNotContain(patient).doesNotContain("中継");
      }
      assertThat(jp.tsunagu.node.testing.TestSql.count(bed.node, "select count(*) from audit_log")).isEqualTo(rows);
      // Another member is not held back by this one's streams.
      HttpResponse<Stream<String>> others = nurse.stream(path);
      assertThat(others.statusCode()).isEqualTo(200);
      others.body().close();
      // A closed stream frees its place.
      open.remove(0).body().close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      HttpResponse<Stream<String>> again = pharmacist.stream(path);
      while (again.statusCode() == 429 && System.nanoTime() < deadline) {
        again.body().close();
        Thread.sleep(100);
        again = pharmacist.stream(path);
      }
      assertThat(again.statusCode()).isEqualTo(200);
      open.add(again);
    } finally {
      open.forEach(stream -> stream.body().close());
    }
  }
}
