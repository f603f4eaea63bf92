package jp.tsunagu.node.sensors;

import static jp.tsunagu.node.testing.TestPorts.freePort;
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
 * alert reaches the care manager's own node through the team sync, as a team post; the home node's
 * sensor status summary (team event sensors.status.summarised) reaches her node's センサー tab with the
 * escalated alert and no names; her node mails her once (a real SMTP server); and her node may not send
 * a summary itself (refused by the home node with sync.type_not_allowed, nothing written).
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
  /** The partner node's mail server (a real SMTP server): her node mails her. */
  static com.icegreen.greenmail.util.GreenMail mmMail;

  @BeforeAll
  static void start() {
    mmMail = new com.icegreen.greenmail.util.GreenMail(com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());
    mmMail.start();
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
    mmMail.stop();
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
    ina.services().database().submitWrite(c -> {
      ReadingSql.insertOne(c, "door-karaki", 1, lastDoor.toEpochMilli(), "open", null, null, null,
          lastDoor.toEpochMilli());
      HouseholdSql.doorSeen(c, household, lastDoor.toEpochMilli());
      return null;
    }).join();
    RuleClock clock = new RuleClock(lastDoor);
    AlertRules rules = ina.feature(SensorsFeature.class).rulesWith(clock, RuleSettings.defaults());
    long raisedAt = lastDoor.plus(Duration.ofHours(6)).toEpochMilli();
    CallCentreBed.await(rules.sweep(ina.vertx(), raisedAt));
    CallCentreBed.await(rules.sweep(ina.vertx(), raisedAt + Duration.ofMinutes(30).toMillis()));

    String notice = "【みまもりアラート】長時間の無活動";
    assertThat(bodies(inaNurse, patientId)).anyMatch(b -> b.startsWith(notice));
    eventually("the alert reaches the care manager's own node", () -> bodies(mmCareManager, patientId).stream()
        .anyMatch(b -> b.startsWith(notice) && b.contains("唐木 トメ 様")));

    // The センサー tab on her node: the home node's summary, sent by the timer's look.
    assertThat(CallCentreBed.await(ina.feature(SensorsFeature.class).summaries().sendChanged())).isEqualTo(1);
    assertThat(CallCentreBed.await(ina.feature(SensorsFeature.class).summaries().sendChanged())).isZero();
    eventually("the summary reaches the care manager's node", () -> mmCareManager.get("/api/v1/sensors/patients/"
        + patientId + "?range=7d").json().getBoolean("monitored"));
    JsonObject tab = mmCareManager.get("/api/v1/sensors/patients/" + patientId + "?range=7d").json();
    assertThat(tab.getBoolean("fromHomeNode")).isTrue();
    assertThat(tab.getLong("lastActivityMs")).isEqualTo(lastDoor.toEpochMilli());
    assertThat(tab.getJsonArray("alerts")).hasSize(1);
    JsonObject alert = tab.getJsonArray("alerts").getJsonObject(0);
    assertThat(alert.getString("kind")).isEqualTo("no_activity");
    assertThat(alert.getString("state")).isEqualTo("escalated");
    assertThat(alert.getString("stateLabel")).isEqualTo("エスカレーション済み");
    assertThat(alert.getLong("escalatedMs")).isNotNull();
    assertThat(mmCareManager.get("/api/v1/sensors/patients/" + patientId + "?range=7d").json().encode())
        .doesNotContain("唐木 トメ").doesNotContain("0265");

    // Her node mails her, once, about the escalated alert (her address is known on her node only).
    CallCentreBed.await(mm.feature(SensorsFeature.class).partnerMails().sendQueued(mm.vertx()));
    eventually("her node mails her", () -> mailsTo("mm-caremane@example.jp").size() == 1);
    assertThat(mailsTo("mm-caremane@example.jp").get(0)).isEqualTo("【みまもりセンサー】担当の方のアラートがエスカレーションされました");
    assertThat(CallCentreBed.await(mm.feature(SensorsFeature.class).partnerMails().sendQueued(mm.vertx()))).isZero();
    assertThat(java.util.Arrays.stream(mmMail.getReceivedMessages()).count()).isEqualTo(1);

    // A partner may not send a summary for a board homed elsewhere: refused by the home node.
    JsonObject data = new JsonObject().put("author", new JsonObject().put("id", "mm-caremane@minamiminowa")
        .put("familyName", "上伊那").put("givenName", "花子").put("familyKana", "カミイナ").put("givenKana", "ハナコ")
        .put("profession", "care_manager").put("facility", "みなみみのわ居宅介護支援事業所"))
        .put("issuedAt", Instant.now().toString()).put("summary", tab.copy().put("alerts", new io.vertx.core.json.JsonArray()));
    jp.tsunagu.federation.envelope.Event forged = new jp.tsunagu.federation.envelope.Event(
        java.util.UUID.randomUUID().toString(), StatusSummaries.TYPE, "minamiminowa", "ina", List.of(patientId),
        Instant.now(), jp.tsunagu.federation.json.Json.parseObject(data.encode()));
    long sentBefore = jp.tsunagu.node.testing.TestSql.count(ina, "select count(*) from team_events");
    assertThat(submit(forged)).isEqualTo("sync.type_not_allowed");
    assertThat(jp.tsunagu.node.testing.TestSql.count(ina, "select count(*) from team_events")).isEqualTo(sentBefore);
  }

  /** A partner node's own signed submission to the home node; answers the refusal's code. */
  private static String submit(jp.tsunagu.federation.envelope.Event event) {
    jp.tsunagu.node.federation.FederationClient client = jp.tsunagu.node.federation.FederationClient.of(mm.vertx(),
        TestNodes.federation(mm));
    try {
      return jp.tsunagu.federation.wire.ErrorResponse.parse(client.call(ina.services().keys().identity().card(),
          io.vertx.core.http.HttpMethod.POST, String.format(jp.tsunagu.federation.wire.FederationV1.SUBMISSION,
              event.targets().get(0), event.id()), io.vertx.core.buffer.Buffer.buffer(
              jp.tsunagu.federation.envelope.EventEnvelope.sign(event, mm.services().keys().identity())),
          jp.tsunagu.federation.wire.FederationV1.JOSE).await(20, java.util.concurrent.TimeUnit.SECONDS).body()
          .toString()).code();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  private static List<String> mailsTo(String address) {
    return java.util.Arrays.stream(mmMail.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(address);
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError(e);
      }
    }).map(m -> {
      try {
        return m.getSubject();
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError(e);
      }
    }).toList();
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
    if (name.equals("minamiminowa")) {
      json.put("mail", new JsonObject().put("host", "127.0.0.1").put("port", mmMail.getSmtp().getPort())
          .put("startTls", "disabled").put("from", "tsunagu@minamiminowa.example.jp"));
    }
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
