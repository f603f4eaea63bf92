package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A care manager on a partner node gets the alert: two real nodes (伊那市 and 南箕輪村) under the Kamiina
 * agreement with mutual TLS; the resident is homed at ina, her care manager works in minamiminowa and
 * is a member of her team. An alert nobody acknowledged escalates at ina, and the notice marked as an
 * alert reaches the care manager's own node through the team sync, as a team post.
 */
class EscalationAcrossNodesTest {

  static final String PASSWORD = "Kamiina-mimamori-2026!";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode mm;
  static CareClient inaStaff;
  static CareClient inaNurse;
  static CareClient mmCareManager;

  @BeforeAll
  static void start() {
    ina = node("ina");
    mm = node("minamiminowa");
    ina.feature(SensorsFeature.class).stopTimer(); // the test drives the rules' time itself
    DemoAgreement.establish(List.of(TestNodes.federation(ina), TestNodes.federation(mm)), "kamiina",
        "上伊那地域在宅医療・介護連携に関する広域連携協定");
    inaStaff = person(ina, "ina-gyosei", "municipal_staff", Role.MUNICIPAL_STAFF, null);
    inaNurse = person(ina, "ina-kango", "nurse", Role.PROFESSIONAL, "伊那訪問看護ステーション");
    mmCareManager = person(mm, "mm-caremane", "care_manager", Role.PROFESSIONAL, "みなみみのわ居宅介護支援事業所");
  }

  @AfterAll
  static void stop() {
    ina.close();
    mm.close();
  }

  @Test
  void an_escalated_alert_reaches_the_care_manager_on_the_partner_node_through_the_team() {
    String patientId = inaNurse.post("/api/v1/patients", CallCentreBed.patient("唐木", "トメ")).json().getString("id");
    CareClient.Reply invited = inaNurse.post("/api/v1/patients/" + patientId + "/team/invitations", new JsonObject()
        .put("userId", "mm-caremane@minamiminowa").put("teamRole", "ケアマネジャー"));
    assertThat(invited.status()).as(invited.body()).isEqualTo(201);
    eventually("the invitation reaches minamiminowa", () -> mmCareManager.get("/api/v1/invitations").json()
        .getJsonArray("invitations").stream().map(JsonObject.class::cast)
        .anyMatch(i -> i.getString("boardId").equals(patientId)));
    mmCareManager.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    eventually("ina sees her as an active member", () -> inaNurse.get("/api/v1/patients/" + patientId + "/team")
        .json().getJsonArray("members").stream().map(JsonObject.class::cast)
        .anyMatch(m -> m.getString("userId").equals("mm-caremane@minamiminowa")
            && m.getString("status").equals("active")));

    write("insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute, issued_by, issued_at)"
        + " values ('gw-kamiina', '上伊那ゲートウェイ', 'テスト事業者', 'k', 'active', 600, ?, '2026-01-01T00:00:00Z')",
        inaStaff.userId);
    JsonObject enrolment = new JsonObject().put("patientId", patientId).put("residentName", "唐木 トメ")
        .put("address", "伊那市荒井1-1").put("district", "伊那").put("phone", "0265-00-0001")
        .put("consent", new JsonObject().put("by", "唐木 トメ").put("relation", "本人").put("at", "2026-11-01"))
        .put("devices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "door-karaki")
            .put("place", "entrance").put("gatewayId", "gw-kamiina")))
        .put("contacts", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "唐木 一郎")
            .put("relation", "長男").put("phone", "090-0000-0001")))
        .put("rules", new JsonObject().put("noActivityHours", 6));
    CareClient.Reply enrolled = inaStaff.post("/api/v1/sensors/households", enrolment);
    assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
    String household = enrolled.json().getString("id");

    Instant lastDoor = Instant.parse("2026-12-01T00:00:00Z");
    ina.services().database().submitWrite(c -> ReadingSql.insertOne(c, "door-karaki", 1, lastDoor.toEpochMilli(),
        "open", null, null, null, lastDoor.toEpochMilli())).join();
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = ina.feature(SensorsFeature.class).rulesWith(clock, RuleSettings.defaults());
    long raisedAt = lastDoor.plus(Duration.ofHours(6)).toEpochMilli();
    CallCentreBed.await(rules.sweep(ina.vertx(), raisedAt));
    CallCentreBed.await(rules.sweep(ina.vertx(), raisedAt + Duration.ofMinutes(30).toMillis()));

    String notice = "【みまもりアラート】長時間の無活動";
    assertThat(bodies(inaNurse, patientId)).anyMatch(b -> b.startsWith(notice));
    eventually("the alert reaches the care manager's own node", () -> bodies(mmCareManager, patientId).stream()
        .anyMatch(b -> b.startsWith(notice) && b.contains("唐木 トメ 様")));
  }

  private static List<String> bodies(CareClient client, String patientId) {
    return client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(p -> ((JsonObject) p).getString("body")).toList();
  }

  private static void write(String sql, Object... params) {
    CallCentreBed.await(ina.services().database().write(c -> {
      try (var s = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          s.setObject(i + 1, params[i]);
        }
        return s.executeUpdate();
      }
    }));
  }

  private static TsunaguNode node(String name) {
    JsonObject json = TestNodes.json(name);
    json.getJsonObject("federation").put("port", freePort());
    return TsunaguNode.start(new ConfigLoader(n -> null).fromJson(json, dir.resolve(name)).asDemo());
  }

  private static CareClient person(TsunaguNode node, String loginId, String profession, Role role, String facility) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    Optional<String> facilityId = facility == null ? Optional.empty() : Optional.of(seeder.createFacility(facility,
        node.services().config().node().municipalities().get(0), "長野県", "home_nursing"));
    String userId = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", "上伊那", "花子",
        "カミイナ", "ハナコ", profession, role, facilityId), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, userId);
    client.login(loginId, PASSWORD);
    return client;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after 30 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
