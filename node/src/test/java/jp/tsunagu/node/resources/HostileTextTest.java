package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestSql;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextRule;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's one text policy, on a real node over real TLS: every text field of every route the
 * inventory lists gets hostile text (a lone surrogate, NUL, BEL, ESC, RLO, a zero-width space, a
 * line break in a one-line field, an array or object instead of text, one character too many) and
 * answers 400 with a stable code, storing nothing; legitimate Japanese text (NFD input, emoji, line
 * breaks where several lines belong) is accepted and stored in NFC.
 */
class HostileTextTest {

  @TempDir
  static Path dir;

  static ResourceNode fixture;
  static ResourceNode.Professional doctor;
  static SessionClient facilityAdmin;
  static SessionClient responder;
  static SessionClient family;
  static SessionClient secretariat;
  static final Map<String, String> ids = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    fixture = new ResourceNode(dir);
    doctor = fixture.professional("ina-isha", "北原", "健一", "doctor");
    new AccountSeeder(fixture.node.services()).createUser(new AccountSeeder.Person("ina-shisetsu",
        "shisetsu@ina.example.jp", "施設", "管理", "シセツ", "カンリ", "nurse", Role.FACILITY_ADMIN,
        Optional.of(fixture.facility)), ResourceNode.PASSWORD, "windows");
    facilityAdmin = new SessionClient(fixture.node).login("ina-shisetsu", ResourceNode.PASSWORD);
    new AccountSeeder(fixture.node.services()).createUser(new AccountSeeder.Person("ina-kyukyu",
        "kyukyu@ina.example.jp", "救急", "隊員", "キュウキュウ", "タイイン", "ems_crew", Role.EMERGENCY_RESPONDER,
        Optional.empty()), ResourceNode.PASSWORD, "windows");
    responder = new SessionClient(fixture.node).login("ina-kyukyu", ResourceNode.PASSWORD);
    new AccountSeeder(fixture.node.services()).createUser(new AccountSeeder.Person("ina-shinsakai",
        "shinsakai@ina.example.jp", "審査", "事務", "シンサ", "ジム", "municipal_staff", Role.REVIEW_SECRETARIAT,
        Optional.empty()), ResourceNode.PASSWORD, "windows");
    secretariat = new SessionClient(fixture.node).login("ina-shinsakai", ResourceNode.PASSWORD);
    String patient = ResourceNode.registerPatient(doctor, "春日", "トメ", "長野県伊那市荒井3500");
    String category = category();
    var post = doctor.client().postJson("/api/v1/patients/" + patient + "/posts",
        new JsonObject().put("category", category).put("body", "訪問しました。"));
    assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
    var group = doctor.client().postJson("/api/v1/groups", new JsonObject().put("name", "在宅医療を考える会"));
    assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
    ids.put("/patients/:boardId", "/patients/" + patient);
    ids.put("/groups/:boardId", "/groups/" + new JsonObject(group.body()).getString("id"));
    ids.put(":postId", new JsonObject(post.body()).getString("id"));
    ids.put(":categoryId", new JsonObject(fixture.staff.get("/api/v1/care/categories").body()).getJsonArray("all")
        .getJsonObject(0).getValue("id").toString());
    ids.put("/staff/resources/:id", "/staff/resources/" + fixture.create(ResourceNode.salon("狐島サロン", 35.83, 137.96),
        false));
    ids.put("/facility/staff/:id", "/facility/staff/" + doctor.userId());
    ids.put(":id", "x0000000000");
    ids.put(":patientId", patient);
    family = familyOf(patient);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A family account of the patient, invited by the doctor, activated and logged in. */
  static SessionClient familyOf(String patient) {
    var invited = doctor.client().postJson("/api/v1/patients/" + patient + "/family/invitations", new JsonObject()
        .put("email", "kazoku@example.jp").put("name", "春日 一郎").put("relation", "子").put("consentBy", "本人")
        .put("consentAt", "2026-12-01"));
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    String password = "kasuga-family-2026";
    var activated = new SessionClient(fixture.node).anonymous().postJson("/api/v1/family/auth/activation",
        new JsonObject().put("code", new JsonObject(invited.body()).getString("activationCode")).put("password", password));
    assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
    JsonObject account = new JsonObject(activated.body());
    return new SessionClient(fixture.node).family(account.getString("loginId"), password,
        jp.tsunagu.node.family.FamilyLogins.code(account.getString("totpSecret"), 0));
  }

  static String category() {
    return new JsonObject(doctor.client().get("/api/v1/care/categories").body()).getJsonArray("categories")
        .getString(0);
  }

  /** One hostile value: its JSON text as sent, and the code it must be refused with. */
  record Hostile(String what, String json, String code) {}

  static List<Hostile> hostile(TextRule rule) {
    List<Hostile> values = new ArrayList<>();
    values.add(new Hostile("lone surrogate", "\"a\\ud800b\"", "validation.text_invalid"));
    values.add(new Hostile("lone low surrogate", "\"\\udc00\"", "validation.text_invalid"));
    values.add(new Hostile("NUL", "\"a\\u0000b\"", "validation.text_invalid"));
    values.add(new Hostile("BEL", "\"a\\u0007\"", "validation.text_invalid"));
    values.add(new Hostile("ESC", "\"\\u001b[31mred\"", "validation.text_invalid"));
    values.add(new Hostile("RLO", "\"abc\\u202edef\"", "validation.text_invalid"));
    values.add(new Hostile("zero-width space", "\"a\\u200bb\"", "validation.text_invalid"));
    values.add(new Hostile("BOM", "\"\\ufeffa\"", "validation.text_invalid"));
    values.add(new Hostile("object", "{\"a\":\"b\"}", "validation.not_text"));
    if (rule.shape() != TextRule.Shape.TEXT_OR_LIST) {
      values.add(new Hostile("array", "[\"a\"]", "validation.not_text"));
    } else {
      values.add(new Hostile("array holding an object", "[{\"a\":\"b\"}]", "validation.not_text"));
    }
    if (rule.shape() != TextRule.Shape.TEXT_OR_NUMBER) {
      values.add(new Hostile("number", "12", "validation.not_text"));
    }
    if (rule.lines() == TextRule.Lines.ONE) {
      values.add(new Hostile("line break", "\"a\\nb\"", "validation.line_break"));
      values.add(new Hostile("carriage return", "\"a\\rb\"", "validation.line_break"));
      values.add(new Hostile("tab", "\"a\\tb\"", "validation.text_invalid"));
    }
    if (rule.lines() != TextRule.Lines.SECRET) {
      values.add(new Hostile("one character too many", "\"" + "𠮷".repeat(rule.max() + 1) + "\"", "validation.too_long"));
    }
    return values;
  }

  @Test
  void every_text_field_of_every_listed_route_refuses_hostile_text_with_a_stable_code_and_stores_nothing() {
    SoftAssertions soft = new SoftAssertions();
    int requests = 0;
    for (TextInventory.Route route : TextInventory.all()) {
      Map<String, Long> before = rows();
      for (TextRule rule : route.fields()) {
        for (Hostile value : hostile(rule)) {
          HttpResponse<String> answer = send(route, "{\"" + rule.field() + "\":" + value.json() + "}");
          requests++;
          String what = route.key() + " " + rule.field() + " with " + value.what() + ": " + answer.body();
          soft.assertThat(answer.statusCode()).as(what).isEqualTo(400);
          if (answer.statusCode() == 400) {
            JsonObject error = new JsonObject(answer.body());
            soft.assertThat(error.getString("code")).as(what).isEqualTo(value.code());
            soft.assertThat(error.getString("message")).as(what).contains(rule.label());
            soft.assertThat(error.getString("requestId")).as(what).isNotBlank();
          }
        }
      }
      soft.assertThat(rows()).as("nothing stored by " + route.key()).isEqualTo(before);
    }
    soft.assertAll();
    assertThat(requests).as("the inventory was swept").isGreaterThan(500);
  }

  @Test
  void the_json_reader_refuses_duplicate_keys_comments_non_finite_numbers_and_invalid_utf8() {
    Map<String, Long> before = rows();
    String tags = "/api/v1/staff/resource-tags";
    List<byte[]> bodies = List.of(
        utf8("{\"name\":\"体操\",\"name\":\"{\\\"a\\\":\\\"b\\\"}\"}"),
        utf8("{\"name\":\"体操\" /* comment */}"),
        utf8("// comment\n{\"name\":\"体操\"}"),
        utf8("{\"name\":\"体操\",\"n\":NaN}"),
        utf8("{\"name\":\"体操\",\"n\":Infinity}"),
        utf8("{\"name\":\"体操\",\"n\":-Infinity}"),
        utf8("{\"name\":\"体操\",\"n\":1e999}"),
        utf8("{\"name\":\"体操\"} {\"name\":\"二つ目\"}"),
        utf8("{'name':'体操'}"),
        utf8("[\"体操\"]"),
        new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
        new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
    for (byte[] body : bodies) {
      HttpResponse<String> answer = fixture.staff.sendJsonBytes("POST", tags, body);
      String what = new String(body, StandardCharsets.ISO_8859_1) + ": " + answer.body();
      assertThat(answer.statusCode()).as(what).isEqualTo(400);
      assertThat(new JsonObject(answer.body()).getString("code")).as(what).isEqualTo("validation.malformed");
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void a_string_no_rule_names_still_gets_the_character_rules() {
    Map<String, Long> before = rows();
    HttpResponse<String> form = doctor.client().sendJsonBytes("POST", "/api/v1" + ids.get("/patients/:boardId") + "/forms",
        utf8("{\"template\":\"houmon_kango_shijisho\",\"values\":{\"note\":\"a\\u0000\"}}"));
    assertThat(form.statusCode()).as(form.body()).isEqualTo(400);
    assertThat(new JsonObject(form.body()).getString("code")).isEqualTo("validation.text_invalid");
    HttpResponse<String> key = doctor.client().sendJsonBytes("POST", "/api/v1" + ids.get("/patients/:boardId") + "/forms",
        utf8("{\"template\":\"houmon_kango_shijisho\",\"values\":{\"a\\u202e\":\"b\"}}"));
    assertThat(new JsonObject(key.body()).getString("code")).as(key.body()).isEqualTo("validation.text_invalid");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void legitimate_japanese_text_with_nfd_input_emoji_and_line_breaks_is_accepted_and_stored_in_nfc() {
    String nfd = "なか\u3099のの家\uD83C\uDF38";
    String nfc = "ながのの家🌸";
    String patient = ids.get("/patients/:boardId");
    var post = doctor.client().postJson("/api/v1" + patient + "/posts", new JsonObject().put("category", category())
        .put("body", nfd + "\n血圧は安定しています。\r\n次回は木曜日 🙂"));
    assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
    JsonObject latest = new JsonObject(doctor.client().get("/api/v1" + patient + "/posts").body()).getJsonArray("posts")
        .getJsonObject(0);
    assertThat(latest.getString("body")).isEqualTo(nfc + "\n血圧は安定しています。\r\n次回は木曜日 🙂");

    var comment = doctor.client().postJson("/api/v1/posts/" + ids.get(":postId") + "/comments",
        new JsonObject().put("body", "了解です" + "\uD83D\uDC4D" + "\n" + nfd));
    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);

    var group = doctor.client().postJson("/api/v1/groups", new JsonObject().put("name", nfd)
        .put("description", "一行目\n二行目 🌸"));
    assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
    assertThat(new JsonObject(group.body()).getString("name")).isEqualTo(nfc);

    var registered = doctor.client().postJson("/api/v1/patients", new JsonObject().put("familyName", "なか\u3099の")
        .put("givenName", "はな🌸").put("familyKana", "ナカ\u3099ノ").put("givenKana", "ハナ").put("birthDate", "1940-02-03")
        .put("sex", "female").put("address", "長野県伊那市荒井").put("municipalityCode", "202096")
        .put("remarks", "耳が遠い\n大きな声で").put("teamRole", "主治医"));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    String id = new JsonObject(registered.body()).getString("id");
    JsonObject stored = new JsonObject(doctor.client().get("/api/v1/patients/" + id).body());
    assertThat(strings(stored)).as(stored.encode()).contains("ながの", "ナガノ", "はな🌸", "耳が遠い\n大きな声で");

    String name = "𠮷".repeat(100);
    var resource = fixture.staff.postJson("/api/v1/staff/resources", ResourceNode.salon(name, 35.84, 137.95)
        .put("description", nfd + "\n毎週木曜日に集まります。").put("fee", "無料 🍵").put("published", true));
    assertThat(resource.statusCode()).as("100 characters, 200 UTF-16 units: " + resource.body()).isEqualTo(201);
    JsonObject saved = new JsonObject(fixture.staff.get("/api/v1/staff/resources/"
        + new JsonObject(resource.body()).getString("id")).body());
    assertThat(saved.getString("name")).isEqualTo(name);
    assertThat(saved.getString("description")).isEqualTo(nfc + "\n毎週木曜日に集まります。");
    assertThat(saved.getString("fee")).isEqualTo("無料 🍵");

    var tag = fixture.staff.postJson("/api/v1/staff/resource-tags", new JsonObject().put("name", "か\u3099ーてん"));
    assertThat(tag.statusCode()).as(tag.body()).isEqualTo(201);
    assertThat(tag.body()).contains("がーてん");

    var referral = fixture.nurse.postJson("/api/v1/referrals", new JsonObject().put("residentName", nfd)
        .put("referrerName", "高遠 花子").put("comment", "一行目\n二行目 🌸")
        .put("resourceIds", new JsonArray().add(new JsonObject(resource.body()).getString("id"))));
    assertThat(referral.statusCode()).as(referral.body()).isEqualTo(201);
  }

  @Test
  void a_patient_csv_gets_the_same_policy_row_by_row_and_registers_nobody() {
    long before = TestSql.count(fixture.node, "select count(*) from patients");
    String header = "氏,名,氏カナ,名カナ,生年月日,性別,住所,市町村コード,電話番号,かかりつけ医,要介護度,緊急連絡先,人生会議,備考\n";
    String csv = header
        + "正常,花子,セイジョウ,ハナコ,1939-01-01,女,長野県伊那市西町,202096,,,,,\"人生会議は\n複数行でよい\",\n"
        + "\"改行\nの氏\",花子,カイギョウ,ハナコ,1939-01-02,女,長野県伊那市西町,202096,,,,,,\n"
        + "エスケープ\u001B[31m,花子,エスケープ,ハナコ,1939-01-03,女,長野県伊那市西町,202096,,,,,,\n"
        + "逆向き,花子\u202E,ギャクムキ,ハナコ,1939-01-04,女,長野県伊那市西町,202096,,,,,,\n"
        + "幅なし,花子,ハバナシ,ハナコ,1939-01-05,女,長野県伊那市西町\u200B,202096,,,,,,\n";
    var reply = doctor.client().postBytes("/api/v1/patients/import?teamRole="
        + StaffResourceApiTest.enc("主治医"), "text/csv", utf8(csv));
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(422);
    assertThat(new JsonObject(reply.body()).getJsonArray("rows").stream().map(r -> ((JsonObject) r).getInteger("row")
        + " " + ((JsonObject) r).getString("code")).toList()).as("rows by the line they start on")
        .containsExactly("4 validation.line_break", "6 validation.text_invalid", "7 validation.text_invalid",
            "8 validation.text_invalid");
    assertThat(TestSql.count(fixture.node, "select count(*) from patients")).isEqualTo(before);
  }

  @Test
  void an_attachment_name_with_a_right_to_left_override_or_broken_percent_encoding_is_refused() {
    long before = TestSql.count(fixture.node, "select count(*) from attachments");
    byte[] png = StaffResourcesBrowserTest.Base64Png.RED_DOT;
    for (String name : List.of("%E2%80%AEgnp.exe", "photo%0A.png", "photo%FF.png", "photo%ED%A0%80.png", "photo%2.png")) {
      HttpResponse<String> refused = doctor.client().sendWithFileName("/api/v1/uploads", "image/png", name, png);
      assertThat(refused.statusCode()).as(name + ": " + refused.body()).isEqualTo(400);
      assertThat(new JsonObject(refused.body()).getString("code")).as(name)
          .isIn("validation.text_invalid", "validation.line_break", "validation.malformed");
    }
    assertThat(TestSql.count(fixture.node, "select count(*) from attachments")).isEqualTo(before);
    HttpResponse<String> accepted = doctor.client().sendWithFileName("/api/v1/uploads", "image/png",
        "%E3%81%8B%E3%82%99%E3%82%81%E3%82%93.png", png);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    assertThat(accepted.body()).contains("がめん.png");
  }

  private static HttpResponse<String> send(TextInventory.Route route, String body) {
    String path = concrete(route.path());
    if (path.startsWith("/admin/v1/")) {
      try {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(fixture.node.adminUrl().resolve(path))
            .header("Content-Type", "application/json")
            .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(fixture.node))
            .method(route.method(), HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return client(path).sendJsonBytes(route.method(), path, utf8(body));
  }

  private static SessionClient client(String path) {
    if (path.startsWith("/api/v1/family/notebook")) {
      return family;
    }
    if (path.startsWith("/api/v1/family/auth/")) {
      return new SessionClient(fixture.node).anonymous();
    }
    if (path.startsWith("/api/v1/auth/login") || path.startsWith("/api/v1/certificates/download")
        || path.startsWith("/api/v1/registration") || path.startsWith("/api/v1/handovers/")) {
      return new SessionClient(fixture.node).anonymous();
    }
    if (path.startsWith("/api/v1/facility/")) {
      return facilityAdmin;
    }
    if (path.startsWith("/api/v1/municipal/") || path.startsWith("/api/v1/staff/") || path.startsWith("/api/v1/care/")
        || path.startsWith("/api/v1/disaster/") || path.startsWith("/api/v1/sensors/")
        || path.startsWith("/api/v1/vaccination/")) {
      return fixture.staff;
    }
    if (path.startsWith("/api/v1/emergency/")) {
      return responder;
    }
    if (path.startsWith("/api/v1/review/") && !path.startsWith("/api/v1/review/my/")) {
      return secretariat;
    }
    if (path.startsWith("/api/v1/referrals")) {
      return fixture.nurse;
    }
    return doctor.client();
  }

  private static String concrete(String path) {
    String concrete = path;
    for (Map.Entry<String, String> id : ids.entrySet()) {
      concrete = concrete.replace(id.getKey(), id.getValue());
    }
    return concrete;
  }

  /** Row counts of every table that holds what people send (not the audit log, sessions or bookkeeping). */
  static Map<String, Long> rows() {
    return fixture.node.services().database().submitRead(c -> {
      Map<String, Long> counts = new LinkedHashMap<>();
      List<String> tables = new ArrayList<>();
      try (var s = c.prepareStatement("select name from sqlite_master where type = 'table' and name not like 'sqlite%'"
          + " and name not like 'flyway%' and name not in ('audit_log', 'sessions', 'login_failures', 'board_touches',"
          + " 'read_touches', 'node_meta', 'geocoded_addresses')"); var rs = s.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (var s = c.prepareStatement("select count(*) from \"" + table + "\""); var rs = s.executeQuery()) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
      return counts;
    }).join();
  }

  /** Every string value in a JSON tree. */
  static List<String> strings(Object json) {
    List<String> found = new ArrayList<>();
    if (json instanceof String text) {
      found.add(text);
    } else if (json instanceof JsonObject object) {
      object.forEach(e -> found.addAll(strings(e.getValue())));
    } else if (json instanceof JsonArray array) {
      array.forEach(item -> found.addAll(strings(item)));
    }
    return found;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
