package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.storage.WorkCounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the two busiest requests of the timeline cost the database, counted by the storage layer (not
 * timed): a page read past the cache, whatever details its posts have, and a post's write. Each is the
 * fewest of a few: the node's own periodic work may read or write beside one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineCostTest {

  private static final String UNCACHED = "?before=999999999999999999";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  String patient;
  String written;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-costs", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-costs", "宮坂", "由美", "nurse", bed.nursingStation);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("費用", "ハナ", "ヒヨウ", "ハナ", "1931-04-04"))
        .json().getString("id");
    written = doctor.post("/api/v1/patients", CareApiTest.patient("書込", "ハナ", "カキコミ", "ハナ", "1932-05-05"))
        .json().getString("id");
    assertThat(doctor.post("/api/v1/patients/" + patient + "/team/invitations", new JsonObject()
        .put("userId", nurse.userId).put("teamRole", "訪問看護")).status()).isEqualTo(201);
    assertThat(nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject()).status()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void a_page_past_the_cache_is_read_in_two_statements_whatever_its_posts_have() throws Exception {
    String photo = doctor.upload(jp.tsunagu.node.care.attachments.AttachmentTest.image(64, 48, "jpg"), "仙骨部.jpg",
        "image/jpeg").json().getString("id");
    assertThat(doctor.post(posts(), new JsonObject().put("category", "連絡").put("body", "写真です。")
        .put("attachments", new JsonArray().add(photo))).status()).isEqualTo(201);
    assertThat(doctor.post(posts(), new JsonObject().put("category", "連絡").put("body", "看護師さんだけに。")
        .put("recipients", new JsonArray().add(nurse.userId))).status()).isEqualTo(201);
    String commented = doctor.post(posts(), new JsonObject().put("category", "連絡").put("body", "本日訪問。")).json()
        .getString("id");
    assertThat(nurse.post("/api/v1/posts/" + commented + "/comments", new JsonObject().put("body", "承知しました。"))
        .status()).isEqualTo(201);
    nurse.get(posts() + UNCACHED);

    WorkCounts used = fewest(() -> {
      CareClient.Reply page = nurse.get(posts() + UNCACHED);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().getJsonArray("posts")).hasSize(3);
    });

    // The session's look-up, then in one read job the membership check and the page with its
    // attachments, comments and recipients (was: a statement for each kind of detail present).
    assertThat(used.readStatements()).as("%s", used).isEqualTo(3);
    assertThat(used.reads()).as("%s", used).isEqualTo(2);
  }

  @Test
  void a_post_is_written_in_one_write_job_and_read_nothing_back() throws Exception {
    WorkCounts used = fewest(() -> assertThat(post()).isEqualTo(201));

    // Five of the write (was twelve, then six): the checks (member, board open, category; the author's
    // facility and place; whether the board takes part in sharing, which was team sync's own look at the
    // board), the post with its place in the board's order, its first version, the audit row, the live
    // event; and three before the commit: the one look at every touch table, then the board touches and
    // the live event touches emptied (a batch of writes shares them).
    assertThat(used.writes()).as("%s", used).isEqualTo(1);
    assertThat(used.writeStatements()).as("%s", used).isEqualTo(8);
  }

  @Test
  void a_post_on_a_board_shared_with_no_partner_is_not_announced_to_team_sync() throws Exception {
    // Team sync, told of a board's change, reads where its changes go (a read job of three statements):
    // on a board in no sharing it found them going nowhere, after every post.
    List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    var heard = bed.node.vertx().eventBus().<String>consumer(
        jp.tsunagu.node.care.replication.TeamReplication.BOARD_CHANGED, message -> told.add(message.body()));
    heard.completion().toCompletionStage().toCompletableFuture().get();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(post()).isEqualTo(201);
      }
      settle();
    } finally {
      heard.unregister();
    }

    assertThat(told).doesNotContain(written);
  }

  private int post() {
    return doctor.post("/api/v1/patients/" + written + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "本日訪問。")).status();
  }

  /** Gives what the requests set off after their answers the time to be heard (never timed). */
  private static void settle() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String posts() {
    return "/api/v1/patients/" + patient + "/posts";
  }

  /** The fewest reads, statements and commits of five runs of the request, each counted alone. */
  private WorkCounts fewest(Runnable request) throws Exception {
    List<WorkCounts> seen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WorkCounts before = counts().get();
      request.run();
      seen.add(counts().get().minus(before));
    }
    return new WorkCounts(seen.stream().mapToLong(WorkCounts::reads).min().orElseThrow(),
        seen.stream().mapToLong(WorkCounts::readStatements).min().orElseThrow(),
        seen.stream().mapToLong(WorkCounts::writes).min().orElseThrow(),
        seen.stream().mapToLong(WorkCounts::writeStatements).min().orElseThrow(),
        seen.stream().mapToLong(WorkCounts::commits).min().orElseThrow());
  }

  private Supplier<WorkCounts> counts() {
    return () -> bed.node.services().database().workCounts();
  }
}
