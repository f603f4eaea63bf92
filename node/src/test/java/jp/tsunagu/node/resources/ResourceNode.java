package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 demo node with a municipal staff member (行政) and a nurse logged in, and
 * helpers that register resources the way staff do, through the API.
 */
final class ResourceNode implements AutoCloseable {

  static final String PASSWORD = "Ina-chiiki-2025!";

  final TsunaguNode node;
  final SessionClient staff;
  final SessionClient nurse;

  ResourceNode(Path dir) {
    this(dir, TestNodes.json("ina"));
  }

  /** With a configuration changed by the test (e.g. the geocoder pointed at a stand-in). */
  ResourceNode(Path dir, JsonObject config) {
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "訪問看護");
    seeder.createUser(new AccountSeeder.Person("ina-gyosei", "gyosei@ina.example.jp", "伊那", "太郎", "イナ", "タロウ",
        "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()), PASSWORD, "windows");
    seeder.createUser(new AccountSeeder.Person("ina-kango", "kango@ina.example.jp", "高遠", "花子", "タカトオ", "ハナコ",
        "nurse", Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    staff = new SessionClient(node).login("ina-gyosei", PASSWORD);
    nurse = new SessionClient(node).login("ina-kango", PASSWORD);
  }

  /** A 通いの場 at the given point in 伊那市. */
  static JsonObject salon(String name, double lat, double lon) {
    return new JsonObject().put("name", name).put("nameKana", "サロン").put("category", "通いの場")
        .put("subCategory", "サロン").put("tags", new io.vertx.core.json.JsonArray().add("室内").add("おしゃべり"))
        .put("municipalityCode", "202096").put("address", "伊那市荒井").put("latitude", lat).put("longitude", lon)
        .put("phone", "0265-78-4111").put("description", "地域のみなさんが集まってお茶を飲みながらおしゃべりする場です。")
        .put("scheduleRules", "weekly:thu@10:00-12:00").put("fee", "100円（お茶代）");
  }

  /** Creates through the staff API; returns the new id. */
  String create(JsonObject resource, boolean published) {
    var response = staff.postJson("/api/v1/staff/resources", resource.copy().put("published", published));
    if (response.statusCode() != 201) {
      throw new AssertionError("create failed: " + response.body());
    }
    return new JsonObject(response.body()).getString("id");
  }

  @Override
  public void close() {
    node.close();
  }
}
