package jp.tsunagu.node.care.categories;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareApiTest;

/**
 * 情報カテゴリー set by the node's administration (行政): adding, renaming (old posts keep their
 * text, the filter follows the category), reordering and stopping, each audited; the post form's
 * list and the timeline filter follow; bad input and other roles are refused and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CategoryApiTest {

  private static final String LIST = "/api/v1/care/categories";

  @TempDir
  static Path dir;
  CareTestbed bed;
  CareClient staff;
  CareClient doctor;
  String patient;

  @BeforeAll
  void start() {
    bed = CareTestbed.start(dir);
    staff = bed.municipalStaff("ina-kenkou-cat", "伊那", "花子");
    doctor = bed.professional("dr-cat", "北原", "健一", "doctor", bed.clinic);
    patient = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"))
        .json().getString("id");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  private List<String> offered() {
    return doctor.get(LIST).json().getJsonArray("categories").stream().map(String::valueOf).toList();
  }

  private JsonObject category(String name) {
    return staff.get(LIST).json().getJsonArray("all").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  private CareClient.Reply add(String name) {
    return staff.post(LIST, new JsonObject().put("name", name));
  }

  private CareClient.Reply change(long id, JsonObject body) {
    return staff.put(LIST + "/" + id, body);
  }

  private CareClient.Reply post(String category, String body) {
    return doctor.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", category)
        .put("body", body));
  }

  private List<String> filtered(String category) {
    return doctor.get("/api/v1/patients/" + patient + "/posts?category=" + URLEncoder.encode(category,
        StandardCharsets.UTF_8)).json().getJsonArray("posts").stream()
        .map(p -> ((JsonObject) p).getString("body")).toList();
  }

  private long audited(String action, String target) throws Exception {
    return bed.audited(action, target);
  }

  @Test
  void professionals_get_the_seeded_categories_in_order_and_may_not_change_them() {
    assertThat(offered()).startsWith("連絡", "申し送り", "相談", "服薬", "食事", "排泄", "睡眠", "リハビリ", "受診");
    JsonObject forms = category("書類");
    assertThat(forms.getBoolean("fixed")).isTrue();
    assertThat(category("連絡").getBoolean("fixed")).isFalse();
    CareClient.Reply refused = doctor.post(LIST, new JsonObject().put("name", "口腔ケア"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("auth.forbidden");
    assertThat(doctor.put(LIST + "/" + forms.getLong("id"), new JsonObject().put("active", false)).status())
        .isEqualTo(403);
    assertThat(doctor.put("/api/v1/care/category-order", new JsonObject().put("ids", new JsonArray())).status())
        .isEqualTo(403);
  }

  @Test
  void an_added_category_is_offered_last_and_professionals_can_post_under_it() throws Exception {
    CareClient.Reply added = add("口腔ケア");
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    assertThat(offered()).last().isEqualTo("口腔ケア");
    assertThat(post("口腔ケア", "義歯の不具合あり").status()).isEqualTo(201);
    assertThat(filtered("口腔ケア")).containsExactly("義歯の不具合あり");
    assertThat(audited("care.category.created", "category:" + category("口腔ケア").getLong("id"))).isEqualTo(1);
  }

  @Test
  void a_renamed_category_keeps_old_posts_as_written_and_the_filter_finds_them_under_either_name() throws Exception {
    add("福祉用具");
    assertThat(post("福祉用具", "車いすの調整を依頼").status()).isEqualTo(201);
    long id = category("福祉用具").getLong("id");
    CareClient.Reply renamed = change(id, new JsonObject().put("name", "福祉用具・住宅改修"));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(category("福祉用具・住宅改修").getJsonArray("formerNames")).containsExactly("福祉用具");
    assertThat(offered()).contains("福祉用具・住宅改修").doesNotContain("福祉用具");
    assertThat(post("福祉用具・住宅改修", "手すり設置の見積もり").status()).isEqualTo(201);
    assertThat(post("福祉用具", "古い名前で投稿").code()).isEqualTo("care.category_unknown");

    JsonArray timeline = doctor.get("/api/v1/patients/" + patient + "/posts").json().getJsonArray("posts");
    assertThat(timeline.stream().map(JsonObject.class::cast).filter(p -> p.getString("body").equals("車いすの調整を依頼"))
        .map(p -> p.getString("category"))).containsExactly("福祉用具");
    assertThat(filtered("福祉用具・住宅改修")).containsExactly("手すり設置の見積もり", "車いすの調整を依頼");
    assertThat(filtered("福祉用具")).containsExactly("手すり設置の見積もり", "車いすの調整を依頼");
    assertThat(filtered("連絡")).doesNotContain("車いすの調整を依頼");
    assertThat(audited("care.category.renamed", "category:" + id)).isEqualTo(1);

    // Back to its own former name is allowed; another category may not take it.
    assertThat(add("福祉用具").code()).isEqualTo("category.name_used_before");
    assertThat(change(id, new JsonObject().put("name", "福祉用具")).status()).isEqualTo(200);
    assertThat(category("福祉用具").getJsonArray("formerNames")).containsExactly("福祉用具・住宅改修");
  }

  @Test
  void a_stopped_category_is_no_longer_offered_but_its_posts_stay_and_can_be_filtered() throws Exception {
    add("入浴");
    post("入浴", "デイで入浴");
    long id = category("入浴").getLong("id");
    assertThat(change(id, new JsonObject().put("active", false)).status()).isEqualTo(200);
    assertThat(offered()).doesNotContain("入浴");
    assertThat(category("入浴").getBoolean("active")).isFalse();
    assertThat(post("入浴", "停止後の投稿").code()).isEqualTo("care.category_unknown");
    assertThat(filtered("入浴")).containsExactly("デイで入浴");
    assertThat(audited("care.category.deactivated", "category:" + id)).isEqualTo(1);
    assertThat(change(id, new JsonObject().put("active", true)).status()).isEqualTo(200);
    assertThat(offered()).contains("入浴");
    assertThat(audited("care.category.activated", "category:" + id)).isEqualTo(1);
  }

  @Test
  void reordering_puts_the_categories_in_the_given_order_for_the_post_form() throws Exception {
    List<Long> ids = new ArrayList<>(staff.get(LIST).json().getJsonArray("all").stream()
        .map(c -> ((JsonObject) c).getLong("id")).toList());
    Collections.reverse(ids);
    List<String> expected = new ArrayList<>(offered());
    Collections.reverse(expected);
    CareClient.Reply reordered = staff.put("/api/v1/care/category-order", new JsonObject().put("ids", new JsonArray(ids)));
    assertThat(reordered.status()).as(reordered.body()).isEqualTo(200);
    assertThat(offered()).isEqualTo(expected);
    assertThat(audited("care.category.reordered", "categories")).isEqualTo(1);
    Collections.reverse(ids);
    staff.put("/api/v1/care/category-order", new JsonObject().put("ids", new JsonArray(ids)));
    assertThat(offered().get(0)).isEqualTo("連絡");
  }

  @Test
  void bad_changes_are_refused_with_their_codes_and_change_nothing() {
    String before = staff.get(LIST).body();
    long forms = category("書類").getLong("id");
    long contact = category("連絡").getLong("id");
    assertThat(add("").code()).isEqualTo("validation.required");
    assertThat(staff.post(LIST, new JsonObject()).code()).isEqualTo("validation.required");
    assertThat(add("あ".repeat(21)).code()).isEqualTo("validation.too_long");
    assertThat(add("二行\n目").code()).isEqualTo("validation.line_break");
    assertThat(staff.post(LIST, new JsonObject().put("name", 42)).code()).isEqualTo("validation.not_text");
    assertThat(add("連絡").code()).isEqualTo("category.name_taken");
    assertThat(add(" 相談 ").code()).as("compared after trimming").isEqualTo("category.name_taken");
    assertThat(change(contact, new JsonObject().put("name", "申し送り")).code()).isEqualTo("category.name_taken");
    assertThat(change(forms, new JsonObject().put("name", "文書")).code()).isEqualTo("category.fixed");
    assertThat(change(forms, new JsonObject().put("active", false)).code()).isEqualTo("category.fixed");
    assertThat(change(contact, new JsonObject().put("active", "no")).code()).isEqualTo("validation.malformed");
    assertThat(change(contact, new JsonObject()).code()).isEqualTo("validation.required");
    CareClient.Reply missing = change(999_999, new JsonObject().put("name", "存在しない"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("category.not_found");
    assertThat(staff.put(LIST + "/abc", new JsonObject().put("name", "x")).code()).isEqualTo("category.not_found");
    assertThat(staff.put("/api/v1/care/category-order", new JsonObject().put("ids", new JsonArray().add(contact)))
        .code()).isEqualTo("category.order_mismatch");
    assertThat(staff.put("/api/v1/care/category-order", new JsonObject().put("ids", "1,2")).code())
        .isEqualTo("validation.malformed");
    CareClient.Reply forged = staff.putWithoutCsrf(LIST + "/" + contact, new JsonObject().put("name", "偽装"));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.code()).isEqualTo("csrf.invalid");
    assertThat(staff.get(LIST).body()).isEqualTo(before);
  }

  @Test
  void a_timeline_filter_of_a_name_no_category_ever_had_matches_that_text_alone() {
    assertThat(filtered("存在しないカテゴリー")).isEmpty();
    assertThat(doctor.get("/api/v1/patients/" + patient + "/posts?category=" + "あ".repeat(21)).code())
        .isEqualTo("validation.too_long");
  }
}
