package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A post's versions: its first is its own row until it is edited (a post's write stores no copy of its
 * text beside it), an edit keeps the version it replaces first, and a post written when every post
 * kept its first version beside it lists that version once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostVersionsTest {

  @TempDir
  static Path dir;
  @AutoClose
  CareTestbed bed;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.clinicDoctor("dr-versions");
    patient = CareTestbed.registered(doctor, CareApiTest.patient("版数", "ハナ", "ハンスウ", "ハナ", "1933-03-03"));
  }

  @Test
  void a_new_post_is_its_own_first_version_without_a_copy_of_its_text() {
    JsonObject post = write("本日訪問。変わりなし。");

    JsonArray versions = versions(post.getString("id"));

    assertThat(versions).hasSize(1);
    assertThat(versions.getJsonObject(0).getInteger("version")).isEqualTo(1);
    assertThat(versions.getJsonObject(0).getString("body")).isEqualTo("本日訪問。変わりなし。");
    assertThat(versions.getJsonObject(0).getString("category")).isEqualTo("連絡");
    assertThat(versions.getJsonObject(0).getString("writtenAt")).isEqualTo(post.getString("createdAt"));
    assertThat(TestSql.count(bed.node, "select count(*) from post_versions where post_id = ?", post.getString("id")))
        .isZero();
  }

  @Test
  void each_edit_keeps_the_version_it_replaces() {
    JsonObject post = write("血圧 150/90");
    String id = post.getString("id");
    assertThat(doctor.put("/api/v1/posts/" + id, new JsonObject().put("category", "連絡").put("body", "血圧 140/90"))
        .status()).isEqualTo(200);
    JsonObject third = doctor.put("/api/v1/posts/" + id, new JsonObject().put("category", "申し送り")
        .put("body", "血圧 140/88")).json();

    JsonArray versions = versions(id);

    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("body")))
        .containsExactly("血圧 150/90", "血圧 140/90", "血圧 140/88");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getInteger("version"))).containsExactly(1, 2, 3);
    assertThat(versions.getJsonObject(0).getString("writtenAt")).isEqualTo(post.getString("createdAt"));
    assertThat(versions.getJsonObject(2).getString("writtenAt")).isEqualTo(third.getString("editedAt"));
    assertThat(versions.getJsonObject(2).getString("category")).isEqualTo("申し送り");
    assertThat(TestSql.count(bed.node, "select count(*) from post_versions where post_id = ?", id)).isEqualTo(3);
  }

  @Test
  void a_post_whose_first_version_was_kept_beside_it_lists_it_once() throws Exception {
    JsonObject post = write("以前の書き方");
    String id = post.getString("id");
    bed.node.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("insert into post_versions (post_id, version, category, body, form_data,"
          + " written_at) select id, 1, category, body, form_data, created_at from posts where id = ?")) {
        s.setString(1, id);
        return s.executeUpdate();
      }
    }).get();

    assertThat(versions(id)).hasSize(1);
    assertThat(doctor.put("/api/v1/posts/" + id, new JsonObject().put("category", "連絡").put("body", "書き直し"))
        .status()).isEqualTo(200);
    assertThat(versions(id).stream().map(v -> ((JsonObject) v).getString("body")))
        .containsExactly("以前の書き方", "書き直し");
  }

  private JsonObject write(String body) {
    CareClient.Reply written = doctor.post("/api/v1/patients/" + patient + "/posts",
        new JsonObject().put("category", "連絡").put("body", body));
    assertThat(written.status()).as(written.body()).isEqualTo(201);
    return written.json();
  }

  private JsonArray versions(String postId) {
    CareClient.Reply reply = doctor.get("/api/v1/posts/" + postId + "/versions");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("versions");
  }
}
