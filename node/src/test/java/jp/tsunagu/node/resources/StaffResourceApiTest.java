package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Municipal staff register, edit, publish and unpublish resources; the public sees only what is published. */
class StaffResourceApiTest {

  @TempDir
  static Path dir;

  static ResourceNode fixture;
  static TestHttp anonymous;

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
    anonymous = new TestHttp(fixture.node);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void staff_create_an_unpublished_resource_that_the_public_cannot_see_until_it_is_published() {
    String id = fixture.create(ResourceNode.salon("荒井ふれあいサロン", 35.8275, 137.9540), false);
    assertThat(anonymous.get("/resources/" + id).statusCode()).isEqualTo(404);
    assertThat(anonymous.get("/api/v1/resources/" + id).statusCode()).isEqualTo(404);
    assertThat(anonymous.get("/api/v1/resources?q=" + enc("荒井ふれあい")).body()).doesNotContain(id);
    assertThat(anonymous.get("/resources/search?q=" + enc("荒井ふれあい")).body()).doesNotContain(id)
        .contains("見つかりませんでした（0 件）");
    assertThat(anonymous.get("/sitemap.xml").body()).doesNotContain(id);
    assertThat(anonymous.get("/opendata/resources.json").body()).doesNotContain("荒井ふれあいサロン");

    assertThat(fixture.staff.postJson("/api/v1/staff/resources/" + id + "/publish", new JsonObject()).statusCode())
        .isEqualTo(200);
    assertThat(anonymous.get("/resources/" + id).body()).contains("荒井ふれあいサロン").contains("毎週木曜日 10:00〜12:00");
    assertThat(anonymous.get("/api/v1/resources?q=" + enc("ふれあい")).body()).contains(id);
    assertThat(anonymous.get("/sitemap.xml").body()).contains("/resources/" + id);

    assertThat(fixture.staff.postJson("/api/v1/staff/resources/" + id + "/unpublish", new JsonObject()).statusCode())
        .isEqualTo(200);
    assertThat(anonymous.get("/resources/" + id).statusCode()).isEqualTo(404);
    assertThat(anonymous.get("/resources/" + id + "/print").statusCode()).isEqualTo(404);
    assertThat(anonymous.get("/sitemap.xml").body()).doesNotContain(id);
  }

  @Test
  void staff_edit_a_resource_and_the_portal_shows_the_new_facts() {
    String id = fixture.create(ResourceNode.salon("上牧いきいき体操", 35.8390, 137.9630), true);
    assertThat(anonymous.get("/resources/search?q=" + enc("上牧")).body()).as("the result item is rendered and kept")
        .contains("上牧いきいき体操</a>").doesNotContain("第2・第4火曜日");
    JsonObject edited = ResourceNode.salon("上牧いきいき体操教室", 35.8390, 137.9630).put("category", "通いの場")
        .put("subCategory", "体操・運動教室").put("scheduleRules", "monthly:2,4:tue@13:30-15:00")
        .put("scheduleNote", "祝日は休み").put("capacity", 20).put("lastVerified", "2025/04/01");
    var response = fixture.staff.putJson("/api/v1/staff/resources/" + id, edited);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject json = new JsonObject(response.body());
    assertThat(json.getString("scheduleText")).isEqualTo("毎月第2・第4火曜日 13:30〜15:00（祝日は休み）");
    assertThat(json.getBoolean("published")).isTrue();
    assertThat(json.getString("lastVerified")).isEqualTo("2025-04-01");
    assertThat(anonymous.get("/resources/" + id).body()).contains("上牧いきいき体操教室").contains("20人");
    assertThat(anonymous.get("/resources/search?q=" + enc("上牧")).body()).as("a kept item goes with its snapshot")
        .contains("上牧いきいき体操教室</a>").contains("毎月第2・第4火曜日 13:30〜15:00");
  }

  @Test
  void a_resource_with_bad_fields_is_refused_with_every_problem_and_nothing_is_stored() {
    int before = new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getJsonArray("resources").size();
    JsonObject bad = ResourceNode.salon("", 51.5, 137.9).put("category", "カフェ").put("phone", "電話なし")
        .put("url", "javascript:alert(1)").put("scheduleRules", "weekly:xyz").put("municipalityCode", "231002");
    var response = fixture.staff.postJson("/api/v1/staff/resources", bad);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("code")).isEqualTo("resources.invalid");
    assertThat(body.getString("requestId")).isNotBlank();
    JsonArray problems = body.getJsonArray("problems");
    assertThat(problems.stream().map(p -> ((JsonObject) p).getString("field")))
        .contains("name", "category", "latitude", "phone", "url", "scheduleRules", "municipalityCode");
    assertThat(problems.stream().map(p -> ((JsonObject) p).getString("code")))
        .contains("resources.required", "resources.unknown_category", "resources.out_of_range",
            "resources.municipality_not_served");
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getJsonArray("resources").size())
        .isEqualTo(before);
    assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void the_staff_api_refuses_the_anonymous_and_people_without_the_municipal_staff_role() {
    assertThat(anonymous.get("/api/v1/staff/resources").statusCode()).isEqualTo(401);
    assertThat(anonymous.post("/api/v1/staff/resources", "application/json",
        ResourceNode.salon("無断登録", 35.83, 137.95).encode()).statusCode()).isIn(401, 403);
    assertThat(fixture.nurse.get("/api/v1/staff/resources").statusCode()).isEqualTo(403);
    assertThat(fixture.nurse.postJson("/api/v1/staff/resources", ResourceNode.salon("無断登録", 35.83, 137.95))
        .statusCode()).isEqualTo(403);
  }

  @Test
  void a_body_that_is_not_a_json_object_gets_validation_malformed_like_every_other_feature_and_stores_nothing() {
    int before = new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getInteger("total");
    for (String path : new String[] {"/api/v1/staff/resources", "/api/v1/staff/resource-categories",
        "/api/v1/staff/resource-tags", "/api/v1/referrals"}) {
      SessionClient client = path.contains("/staff/") ? fixture.staff : fixture.nurse;
      for (String body : new String[] {"{\"name\": ", "[\"名前\"]", ""}) {
        var response = client.postBytes(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(path + " " + body).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("code")).as(path + " " + body)
            .isEqualTo("validation.malformed");
      }
    }
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources").body()).getInteger("total"))
        .isEqualTo(before);
    assertThat(fixture.staff.get("/api/v1/staff/resources").statusCode()).as("the node keeps serving").isEqualTo(200);
  }

  @Test
  void staff_extend_the_categories_and_tags_and_can_use_them_at_once() {
    assertThat(fixture.staff.postJson("/api/v1/staff/resource-categories", new JsonObject().put("code", "gathering.farm")
        .put("name", "農作業の場").put("parent", "gathering")).statusCode()).isEqualTo(201);
    assertThat(fixture.staff.postJson("/api/v1/staff/resource-tags", new JsonObject().put("name", "畑")).statusCode())
        .isEqualTo(201);
    assertThat(fixture.staff.postJson("/api/v1/staff/resource-tags", new JsonObject().put("name", "畑")).statusCode())
        .isEqualTo(409);
    String id = fixture.create(ResourceNode.salon("西箕輪ふれあい農園", 35.8650, 137.9150).put("subCategory", "農作業の場")
        .put("tags", new JsonArray().add("畑").add("屋外")), true);
    assertThat(anonymous.get("/resources/search?tag=" + enc("畑")).body()).contains(id);
  }

  @Test
  void the_staff_list_filters_by_keyword_and_status_and_staff_see_photos_the_public_cannot() {
    String draft = fixture.create(ResourceNode.salon("狐島こもれびサロン", 35.8300, 137.9600), false);
    String open = fixture.create(ResourceNode.salon("狐島ひだまり体操", 35.8310, 137.9610), true);
    JsonObject unpublished = new JsonObject(fixture.staff.get("/api/v1/staff/resources?status=unpublished&q="
        + enc("狐島")).body());
    assertThat(unpublished.getInteger("total")).isEqualTo(1);
    assertThat(unpublished.getJsonArray("resources").getJsonObject(0).getString("id")).isEqualTo(draft);
    JsonObject both = new JsonObject(fixture.staff.get("/api/v1/staff/resources?q=" + enc("狐島 こもれび")).body());
    assertThat(both.getJsonArray("resources").stream().map(r -> ((JsonObject) r).getString("id")).toList())
        .containsExactly(draft);
    assertThat(new JsonObject(fixture.staff.get("/api/v1/staff/resources?status=published&q=" + enc("狐島")).body())
        .getJsonArray("resources").getJsonObject(0).getString("id")).isEqualTo(open);

    byte[] png = StaffResourcesBrowserTest.Base64Png.RED_DOT;
    var added = fixture.staff.postBytes("/api/v1/staff/resources/" + draft + "/photos", "image/png", png);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    String url = new JsonObject(added.body()).getString("url");
    byte[] stored = fixture.staff.getBytes("/api/v1/staff" + url).body();
    assertThat(HostileResourceDataTest.pixels(stored)).as("stored re-encoded, the same picture")
        .isEqualTo(HostileResourceDataTest.pixels(png));
    assertThat(anonymous.get(url).statusCode()).as("unpublished: no photo for the public").isEqualTo(404);
    assertThat(fixture.nurse.get("/api/v1/staff" + url).statusCode()).as("staff only").isEqualTo(403);

    JsonObject form = new JsonObject(fixture.staff.get("/api/v1/staff/resource-form").body());
    assertThat(form.getJsonArray("municipalities").getJsonObject(0).getString("name")).isEqualTo("伊那市");
    assertThat(form.getJsonObject("map").getString("tileUrl")).startsWith("https://cyberjapandata.gsi.go.jp/");
    assertThat(form.getJsonArray("csvColumns").stream().map(c -> ((JsonObject) c).getString("header")).toList())
        .contains("名称", "予定", "公開");
  }

  static String enc(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }
}
