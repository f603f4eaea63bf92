package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.teams.Places;

/**
 * The first timeline page comes from {@link TimelineCache} while its board is unchanged. Each test
 * compares it, member by member, with the same page read from the database (a {@code before} above
 * every post takes the uncached path), after each kind of change, including writes made straight
 * through SQL as team sync and purges make them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimelineCacheTest {

  /** Above every seq, pending ones included: the page the database gives, never the cache. */
  private static final String UNCACHED = "?before=999999999999999999";
  private static final String INA = "202096";
  private static final String MINOWA = "203831";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient doctor;
  CareClient nurse;
  CareClient careManager;
  CareClient outsider;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    doctor = bed.professional("dr-cache", "北原", "健一", "doctor", bed.clinic);
    nurse = bed.professional("ns-cache", "宮坂", "由美", "nurse", bed.nursingStation);
    careManager = bed.professional("cm-cache", "藤澤", "聡子", "care_manager", bed.nursingStation);
    outsider = bed.professional("dr-cache-other", "小松", "誠", "doctor", bed.clinic);
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private String team(String family, String kana, String birth) {
    String id = doctor.post("/api/v1/patients", CareApiTest.patient(family, "ハナ", kana, "ハナ", birth))
        .json().getString("id");
    for (CareClient member : List.of(nurse, careManager)) {
      assertThat(doctor.post("/api/v1/patients/" + id + "/team/invitations", new JsonObject()
          .put("userId", member.userId).put("teamRole", "訪問看護")).status()).isEqualTo(201);
      assertThat(member.post("/api/v1/invitations/" + id + "/accept", new JsonObject()).status()).isEqualTo(204);
    }
    return id;
  }

  private String post(CareClient author, String patientId, String body, String... recipients) {
    JsonObject post = new JsonObject().put("category", "連絡").put("body", body);
    if (recipients.length > 0) {
      post.put("recipients", new JsonArray(List.of(recipients)));
    }
    CareClient.Reply reply = author.post("/api/v1/patients/" + patientId + "/posts", post);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  /**
   * The member's first page, read twice (the second time from the cache), and checked against the
   * page the database gives.
   */
  private JsonObject firstPage(CareClient member, String patientId) {
    CareClient.Reply first = member.get("/api/v1/patients/" + patientId + "/posts");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(cache().current(patientId)).as("kept after the first read").isNotNull();
    JsonObject cached = member.get("/api/v1/patients/" + patientId + "/posts").json();
    JsonObject fromDatabase = member.get("/api/v1/patients/" + patientId + "/posts" + UNCACHED).json();
    assertThat(cached).isEqualTo(fromDatabase);
    assertThat(first.json()).isEqualTo(fromDatabase);
    return cached;
  }

  private TimelineCache cache() {
    return bed.node.feature(CareFeature.class).context().timelines();
  }

  private static List<String> bodies(JsonObject page) {
    return page.getJsonArray("posts").stream().map(p -> ((JsonObject) p).getString("body")).toList();
  }

  private static JsonObject postIn(JsonObject page, String postId) {
    return page.getJsonArray("posts").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("id").equals(postId)).findFirst().orElseThrow();
  }

  @Test
  void each_member_gets_from_the_cache_the_page_the_database_gives_them() {
    String id = team("記憶", "キオク", "1939-05-05");
    String note = post(doctor, id, "本日訪問。血圧 132/80。");
    post(doctor, id, "看護師さんへ: 褥瘡の処置をお願いします。", nurse.userId);
    nurse.post("/api/v1/patients/" + id + "/reads", new JsonObject().put("postIds", new JsonArray().add(note)));
    nurse.post("/api/v1/posts/" + note + "/comments", new JsonObject().put("body", "承知しました。"));

    JsonObject forDoctor = firstPage(doctor, id);
    JsonObject forNurse = firstPage(nurse, id);
    JsonObject forCareManager = firstPage(careManager, id);

    assertThat(bodies(forDoctor)).hasSize(2);
    assertThat(bodies(forNurse)).hasSize(2);
    assertThat(bodies(forCareManager)).containsExactly("本日訪問。血圧 132/80。");
    assertThat(postIn(forNurse, note).getBoolean("readByMe")).isTrue();
    assertThat(postIn(forCareManager, note).getBoolean("readByMe")).isFalse();
    assertThat(postIn(forDoctor, note).getBoolean("readByMe")).as("the author's own post").isTrue();
    assertThat(postIn(forCareManager, note).getInteger("readCount")).isEqualTo(1);
    assertThat(postIn(forCareManager, note).getJsonArray("comments")).hasSize(1);

    CareClient.Reply refused = outsider.get("/api/v1/patients/" + id + "/posts");
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.code()).isEqualTo("care.not_found");
  }

  @Test
  void every_kind_of_change_is_on_the_next_first_page() throws Exception {
    String id = team("変更", "ヘンコウ", "1940-06-06");
    String note = post(nurse, id, "朝の訪問: 食事は全量摂取。");
    firstPage(careManager, id);

    check(id, () -> post(doctor, id, "処方を変更しました。"),
        page -> assertThat(bodies(page)).contains("処方を変更しました。"));
    check(id, () -> nurse.post("/api/v1/posts/" + note + "/comments", new JsonObject().put("body", "夕方も確認します。")),
        page -> assertThat(postIn(page, note).getJsonArray("comments")).hasSize(1));
    check(id, () -> nurse.put("/api/v1/posts/" + note, new JsonObject().put("category", "連絡")
            .put("body", "朝の訪問: 食事は8割摂取。")),
        page -> assertThat(postIn(page, note).getString("body")).isEqualTo("朝の訪問: 食事は8割摂取。"));
    check(id, () -> nurse.delete("/api/v1/posts/" + note),
        page -> assertThat(postIn(page, note).getBoolean("deleted")).isTrue());
    // Written straight through SQL, as team sync applies a partner's edit: no route is involved.
    String direct = post(doctor, id, "看護師さんだけに。", nurse.userId);
    check(id, () -> bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update posts set body = ? where id = ?")) {
        s.setString(1, "同期で届いた訂正。");
        s.setString(2, direct);
        return s.executeUpdate();
      }
    }).join(), page -> assertThat(bodies(page)).doesNotContain("看護師さんだけに。"));
    assertThat(bodies(firstPage(nurse, id))).contains("同期で届いた訂正。");
    // A recipient's new name is on the direct post they received.
    check(id, () -> bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update users set family_name = '中村' where id = ?")) {
        s.setString(1, nurse.userId);
        return s.executeUpdate();
      }
    }).join(), page -> { });
    assertThat(postIn(firstPage(nurse, id), direct).getJsonArray("recipients").encode()).contains("中村");
    // So is the new name of a recipient's facility, with its municipality.
    check(id, () -> bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update facilities set name = 'いな訪問看護ステーション西' where id = ?")) {
        s.setString(1, bed.nursingStation);
        return s.executeUpdate();
      }
    }).join(), page -> { });
    assertThat(postIn(firstPage(nurse, id), direct).getJsonArray("recipientDetails").encode())
        .contains("いな訪問看護ステーション西", "伊那市");
    // A member removed from the team gets the 404 at once, though the page was kept.
    firstPage(careManager, id);
    assertThat(doctor.post("/api/v1/patients/" + id + "/team/members/" + careManager.userId + "/remove",
        new JsonObject()).status()).isEqualTo(204);
    assertThat(careManager.get("/api/v1/patients/" + id + "/posts").status()).isEqualTo(404);
    assertThat(bed.audited("care.timeline.read", "patient:" + id)).isGreaterThan(0);
  }

  @Test
  void a_read_receipt_is_added_to_the_kept_page_without_reading_the_board_again() {
    String id = team("既読", "キドク", "1943-08-08");
    String note = post(nurse, id, "夜間の様子: よく眠れていました。");
    String direct = post(doctor, id, "看護師さんへ: 明日の訪問時間の件。", nurse.userId);
    firstPage(careManager, id);
    TimelineCache.Page kept = cache().current(id);

    assertThat(doctor.post("/api/v1/patients/" + id + "/reads",
        new JsonObject().put("postIds", new JsonArray().add(note))).status()).isEqualTo(200);
    TimelineCache.Page afterReceipt = cache().current(id);
    assertThat(afterReceipt).as("still kept, with the new reader").isNotNull().isNotSameAs(kept);
    assertThat(afterReceipt.version()).isGreaterThan(kept.version());

    JsonObject forCareManager = firstPage(careManager, id);
    assertThat(postIn(forCareManager, note).getInteger("readCount")).isEqualTo(1);
    assertThat(postIn(forCareManager, note).getBoolean("readByMe")).isFalse();
    JsonObject forDoctor = firstPage(doctor, id);
    assertThat(postIn(forDoctor, note).getBoolean("readByMe")).isTrue();
    // The nurse marks both read, the direct post to her too; each member's page still equals the
    // database's (firstPage compares them).
    nurse.post("/api/v1/patients/" + id + "/reads", new JsonObject().put("postIds", new JsonArray()
        .add(direct).add(note)));
    assertThat(cache().current(id)).isNotNull();
    assertThat(postIn(firstPage(careManager, id), note).getInteger("readCount")).isEqualTo(2);
    assertThat(postIn(firstPage(doctor, id), direct).getInteger("readCount")).isEqualTo(1);
    assertThat(firstPage(nurse, id).getJsonArray("posts").stream().map(JsonObject.class::cast)
        .allMatch(p -> p.getBoolean("readByMe"))).isTrue();
    firstPage(doctor, id);
  }

  @Test
  void an_authors_move_to_another_facility_is_on_the_next_first_page_beside_her_posts_and_comments() {
    String id = team("異動", "イドウ", "1939-09-09");
    CareClient moving = bed.professional("ns-cache-moving", "唐澤", "恵", "nurse", bed.nursingStation);
    assertThat(doctor.post("/api/v1/patients/" + id + "/team/invitations", new JsonObject()
        .put("userId", moving.userId).put("teamRole", "訪問看護")).status()).isEqualTo(201);
    assertThat(moving.post("/api/v1/invitations/" + id + "/accept", new JsonObject()).status()).isEqualTo(204);
    String note = post(moving, id, "入浴介助: 問題なし。");
    String question = post(doctor, id, "褥瘡の具合はどうですか。");
    assertThat(moving.post("/api/v1/posts/" + question + "/comments", new JsonObject().put("body", "改善しています。"))
        .status()).isEqualTo(201);
    JsonObject before = firstPage(careManager, id);
    assertThat(postIn(before, note).getString("authorMunicipality")).isEqualTo(Places.municipality(INA));

    // Moved by an administrator to a facility in 箕輪町: no post, comment or member of the board changes.
    String minowa = bed.seeder.createFacility("みのわ訪問看護ステーション", MINOWA, "長野県", "home_nursing");
    bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update users set facility_id = ? where id = ?")) {
        s.setString(1, minowa);
        s.setString(2, moving.userId);
        return s.executeUpdate();
      }
    }).join();

    assertThat(cache().current(id)).as("the page with her posts dropped").isNull();
    JsonObject after = firstPage(careManager, id);
    assertThat(postIn(after, note).getString("authorMunicipality")).isEqualTo(Places.municipality(MINOWA));
    assertThat(postIn(after, question).getJsonArray("comments").getJsonObject(0).getString("authorMunicipality"))
        .isEqualTo(Places.municipality(MINOWA));
    assertThat(postIn(after, question).getString("authorMunicipality")).isEqualTo(Places.municipality(INA));
  }

  /** Makes the change after the page was kept, then checks the care manager's next first page. */
  private void check(String id, Runnable change, Consumer<JsonObject> expectation) {
    firstPage(careManager, id);
    change.run();
    assertThat(cache().current(id)).as("dropped by the change").isNull();
    expectation.accept(firstPage(careManager, id));
  }

  @Test
  void a_new_post_is_answered_as_the_page_shows_it_and_its_comments_and_attachments_are_counted() {
    String id = team("回答", "カイトウ", "1942-08-08");
    String photo = doctor.upload(jp.tsunagu.node.care.attachments.AttachmentTest.image(64, 48, "jpg"), "仙骨部.jpg",
        "image/jpeg").json().getString("id");
    JsonObject withPhoto = doctor.post("/api/v1/patients/" + id + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "仙骨部の写真です。").put("attachments", new JsonArray().add(photo))).json();
    JsonObject direct = doctor.post("/api/v1/patients/" + id + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "看護師さんだけに。").put("recipients", new JsonArray().add(nurse.userId))).json();
    JsonObject plain = doctor.post("/api/v1/patients/" + id + "/posts", new JsonObject().put("category", "連絡")
        .put("body", "本日訪問。")).json();

    JsonObject page = firstPage(doctor, id);
    for (JsonObject answered : List.of(withPhoto, direct, plain)) {
      assertThat(postIn(page, answered.getString("id"))).isEqualTo(answered);
    }
    assertThat(withPhoto.getJsonArray("attachments")).hasSize(1);
    assertThat(direct.getJsonArray("recipients")).as("the nurse and the author").hasSize(2);

    nurse.post("/api/v1/posts/" + plain.getString("id") + "/comments", new JsonObject().put("body", "承知しました。"));
    nurse.post("/api/v1/posts/" + plain.getString("id") + "/comments", new JsonObject().put("body", "夕方も伺います。"));
    assertThat(postIn(firstPage(nurse, id), plain.getString("id")).getJsonArray("comments")).hasSize(2);
    assertThat(counts(plain.getString("id"))).containsExactly(2, 0);
    assertThat(counts(withPhoto.getString("id"))).containsExactly(0, 1);
    // A comment or an attachment removed or moved by any path leaves the counts right.
    bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("delete from comments where post_id = ? and body = '承知しました。'")) {
        s.setString(1, plain.getString("id"));
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("update attachments set post_id = ? where id = ?")) {
        s.setString(1, plain.getString("id"));
        s.setString(2, photo);
        return s.executeUpdate();
      }
    }).join();
    assertThat(counts(plain.getString("id"))).containsExactly(1, 1);
    assertThat(counts(withPhoto.getString("id"))).containsExactly(0, 0);
    assertThat(postIn(firstPage(nurse, id), plain.getString("id")).getJsonArray("attachments")).hasSize(1);
  }

  @Test
  void a_post_row_keeps_its_read_count_and_only_its_other_columns_drop_the_kept_page() throws Exception {
    String id = team("既読数", "キドクスウ", "1944-09-09");
    String note = post(doctor, id, "訪問時、表情穏やか。");
    nurse.post("/api/v1/patients/" + id + "/reads", new JsonObject().put("postIds", new JsonArray().add(note)));
    careManager.post("/api/v1/patients/" + id + "/reads", new JsonObject().put("postIds", new JsonArray().add(note)));
    assertThat(readCount(note)).isEqualTo(2);
    firstPage(careManager, id);
    // A receipt removed by any path (a purge) leaves the count right, and drops the kept page as before.
    check(id, () -> bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("delete from post_reads where post_id = ? and user_id = ?")) {
        s.setString(1, note);
        s.setString(2, nurse.userId);
        return s.executeUpdate();
      }
    }).join(), page -> assertThat(postIn(page, note).getInteger("readCount")).isEqualTo(1));
    assertThat(readCount(note)).isEqualTo(1);
    // Every column of a post but its read count, present and to come, changes the page: the trigger names them.
    List<List<String>> columns = bed.node.services().database().submitRead(c -> {
      String named;
      try (PreparedStatement s = c.prepareStatement("select sql from sqlite_master where name = 'posts_touch_update'");
          var rs = s.executeQuery()) {
        rs.next();
        named = rs.getString(1).replaceAll("\\s+", " ");
        named = named.substring(named.indexOf("update of ") + "update of ".length(), named.indexOf(" on posts"));
      }
      List<String> all = new java.util.ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select name from pragma_table_info('posts')");
          var rs = s.executeQuery()) {
        while (rs.next()) {
          all.add(rs.getString(1));
        }
      }
      return List.of(List.of(named.split(", ")), all);
    }).join();
    assertThat(columns.get(0)).containsExactlyInAnyOrderElementsOf(
        columns.get(1).stream().filter(c -> !c.equals("read_count")).toList());
  }

  private int readCount(String postId) {
    return bed.node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select read_count, (select count(*) from post_reads"
          + " where post_id = ?1) from posts where id = ?1")) {
        s.setString(1, postId);
        try (var rs = s.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("the count kept equals the receipts").isEqualTo(rs.getInt(2));
          return rs.getInt(1);
        }
      }
    }).join();
  }

  /** A post's comment and attachment counts as the database keeps them. */
  private List<Integer> counts(String postId) {
    return bed.node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select comment_count, attachment_count from posts where id = ?")) {
        s.setString(1, postId);
        try (var rs = s.executeQuery()) {
          rs.next();
          return List.of(rs.getInt(1), rs.getInt(2));
        }
      }
    }).join();
  }

  @Test
  void direct_posts_above_fifty_others_leave_every_member_a_full_page() {
    String id = team("特別", "トクベツ", "1941-07-07");
    for (int i = 1; i <= 55; i++) {
      post(doctor, id, "経過記録 " + i);
    }
    for (int i = 1; i <= 8; i++) {
      post(doctor, id, "看護師さんへの特別便 " + i, nurse.userId);
    }
    JsonObject forCareManager = firstPage(careManager, id);
    JsonObject forNurse = firstPage(nurse, id);
    assertThat(bodies(forCareManager)).hasSize(50).startsWith("経過記録 55").endsWith("経過記録 6")
        .noneMatch(body -> body.startsWith("看護師さんへの特別便"));
    assertThat(bodies(forNurse)).hasSize(50).startsWith("看護師さんへの特別便 8").endsWith("経過記録 14");
    assertThat(forCareManager.getBoolean("more")).isTrue();
  }
}
