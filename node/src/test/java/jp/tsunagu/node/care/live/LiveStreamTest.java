package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
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
