package jp.tsunagu.node.sensors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 node for the watch sensors' people half: one account of each role logged in (the
 * 見守りセンター operator created by 行政 through the accounts API, as on the screen), a patient whose
 * team has a nurse and a care manager, a gateway (its row written directly: issuing it is the ingest's
 * admin), and a way to deliver readings exactly as the ingest does: stored rows, then the rules told.
 */
final class CallCentreBed implements AutoCloseable {

  static final String PASSWORD = "Ina-mimamori-2026!";
  static final String GATEWAY = "gw-ina-01";

  final GreenMail mail;
  final TsunaguNode node;
  final CareClient staff;
  final CareClient watch;
  final CareClient nurse;
  final CareClient careManager;
  final CareClient outsider;
  final CareClient facilityAdmin;
  final CareClient responder;
  final String patientId;
  final String watchPassword;
  final String staffId;
  private long sequence = 1;

  CallCentreBed(Path dir) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina").put("mail", new JsonObject()
        .put("host", "127.0.0.1").put("port", mail.getSmtp().getPort()).put("startTls", "disabled")
        .put("from", "tsunagu@ina.example.jp")), dir).asDemo());
    // The tests drive the rules' time themselves; the node's own timer would look at today's date.
    node.feature(SensorsFeature.class).stopTimer();
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那みまもり訪問看護ステーション", "202096", "長野県", "訪問看護");
    staffId = account(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    String nurseId = account(seeder, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(facility));
    String managerId = account(seeder, "ina-caremane", Role.PROFESSIONAL, "care_manager", Optional.of(facility));
    String outsiderId = account(seeder, "ina-yakuzai", Role.PROFESSIONAL, "pharmacist", Optional.of(facility));
    String adminId = account(seeder, "ina-shisetsu", Role.FACILITY_ADMIN, "nurse", Optional.of(facility));
    String responderId = account(seeder, "ina-kyukyu", Role.EMERGENCY_RESPONDER, "ems_crew", Optional.empty());
    staff = client(staffId, "ina-gyosei");
    nurse = client(nurseId, "ina-kango");
    careManager = client(managerId, "ina-caremane");
    outsider = client(outsiderId, "ina-yakuzai");
    facilityAdmin = client(adminId, "ina-shisetsu");
    responder = client(responderId, "ina-kyukyu");
    CareClient.Reply created = staff.post("/api/v1/municipal/accounts", new JsonObject().put("role", "watch_centre")
        .put("familyName", "見守").put("givenName", "花子").put("familyKana", "ミマモリ").put("givenKana", "ハナコ")
        .put("email", "mimamori@ina.example.jp").put("loginId", "ina-mimamori").put("deviceType", "windows")
        .put("delivery", "hand"));
    if (created.status() != 201) {
      throw new AssertionError("the watch centre account was refused: " + created);
    }
    JsonObject credentials = created.json().getJsonObject("credentials");
    watch = new CareClient(node, created.json().getJsonObject("user").getString("id"));
    watchPassword = credentials.getString("initialPassword");
    watch.login("ina-mimamori", watchPassword);
    patientId = nurse.post("/api/v1/patients", patient("春日", "八重")).json().getString("id");
    CareClient.Reply invited = nurse.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", managerId).put("teamRole", "ケアマネジャー"));
    if (invited.status() != 201) {
      throw new AssertionError("invitation refused: " + invited);
    }
    careManager.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    write("insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute, issued_by, issued_at)"
        + " values (?, '伊那 見守りゲートウェイ1', 'テスト事業者', 'test-key', 'active', 600, ?, '2026-01-01T00:00:00Z')",
        GATEWAY, staffId);
  }

  static JsonObject patient(String family, String given) {
    return new JsonObject().put("familyName", family).put("givenName", given).put("familyKana", "カスガ")
        .put("givenKana", "ヤエ").put("birthDate", "1938-04-02").put("sex", "female").put("address", "伊那市西箕輪3000-1")
        .put("municipalityCode", "202096").put("phone", "0265-72-0001").put("familyDoctor", "").put("careLevel", "要介護1")
        .put("emergencyContacts", "").put("acpNotes", "").put("remarks", "").put("teamRole", "訪問看護");
  }

  /** An enrolment as staff would send it: the patient, consent, a door and a room sensor, two contacts. */
  JsonObject enrolment(String deviceSuffix) {
    return new JsonObject().put("patientId", patientId).put("residentName", "春日 八重").put("address", "伊那市西箕輪3000-1")
        .put("district", "西箕輪").put("phone", "0265-72-0001")
        .put("consent", new JsonObject().put("by", "春日 八重").put("relation", "本人").put("at", "2026-11-20"))
        .put("devices", new JsonArray()
            .add(new JsonObject().put("id", "door-" + deviceSuffix).put("place", "entrance").put("gatewayId", GATEWAY))
            .add(new JsonObject().put("id", "fridge-" + deviceSuffix).put("place", "fridge").put("gatewayId", GATEWAY))
            .add(new JsonObject().put("id", "room-" + deviceSuffix).put("place", "room").put("gatewayId", GATEWAY)))
        .put("contacts", new JsonArray()
            .add(new JsonObject().put("name", "春日 一郎").put("relation", "長男").put("phone", "090-1111-2222")
                .put("mail", "ichiro@family.example.jp"))
            .add(new JsonObject().put("name", "春日 良子").put("relation", "長女").put("phone", "090-3333-4444")));
  }

  /** Uploads the 要援護者台帳 rows (CSV, the register's columns) and confirms them as the next version. */
  void importRegister(String... rows) {
    byte[] csv = ("氏名,ふりがな,生年月日,性別,住所,地区,電話,支援が必要な理由,避難支援者,避難支援者連絡先,情報提供への同意,"
        + "個別避難計画,避難先\n" + String.join("\n", rows) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> uploaded = staff.postWith("/api/v1/disaster/register/imports", csv, "text/csv",
        java.util.Map.of("Idempotency-Key", java.util.UUID.randomUUID().toString()));
    if (uploaded.statusCode() != 201) {
      throw new AssertionError("register upload refused: " + uploaded.body());
    }
    CareClient.Reply confirmed = staff.post("/api/v1/disaster/register/imports/" + new JsonObject(uploaded.body())
        .getString("id") + "/confirm", new JsonObject());
    if (confirmed.status() != 200) {
      throw new AssertionError("register confirmation refused: " + confirmed);
    }
  }

  /** Enrols the bed's patient; answers the household. */
  JsonObject enrol(String deviceSuffix) {
    CareClient.Reply reply = staff.post("/api/v1/sensors/households", enrolment(deviceSuffix));
    if (reply.status() != 201) {
      throw new AssertionError("enrolment refused: " + reply);
    }
    return reply.json();
  }

  SensorsFeature feature() {
    return node.feature(SensorsFeature.class);
  }

  /** Stores readings as the ingest does (the device's last_seen and battery too) and tells the rules. */
  List<Alert> deliver(AlertRules rules, String householdId, List<NewReadings.Reading> readings) {
    for (NewReadings.Reading r : readings) {
      node.services().database().submitWrite(c -> ReadingSql.insertOne(c, r.deviceId(), r.sequence(), r.atMs(),
          r.kind(), r.tempDeci(), r.humidityDeci(), r.battery(), r.atMs())).join();
      write("update sensor_devices set last_seen_ms = max(coalesce(last_seen_ms, 0), ?), battery = coalesce(?, battery)"
          + " where id = ?", r.atMs(), r.battery(), r.deviceId());
    }
    return await(rules.evaluate(vertx(), readings));
  }

  NewReadings.Reading door(String deviceId, String householdId, long atMs) {
    return new NewReadings.Reading(deviceId, householdId, "entrance", sequence++, atMs, "open", null, null, null);
  }

  NewReadings.Reading climate(String deviceId, String householdId, long atMs, int tempDeci, int humidityDeci) {
    return new NewReadings.Reading(deviceId, householdId, "room", sequence++, atMs, "climate", tempDeci, humidityDeci,
        null);
  }

  NewReadings.Reading battery(String deviceId, String householdId, long atMs, int battery) {
    return new NewReadings.Reading(deviceId, householdId, "fridge", sequence++, atMs, "close", null, null, battery);
  }

  io.vertx.core.Vertx vertx() {
    return node.vertx();
  }

  void write(String sql, Object... params) {
    await(node.services().database().write(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          s.setObject(i + 1, params[i]);
        }
        return s.executeUpdate();
      }
    }));
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every role but 行政 and the call centre, and a caller nobody logged in. */
  Map<String, CareClient> notStaff() {
    return Map.of("professional", nurse, "facility_admin", facilityAdmin, "emergency_responder", responder,
        "watch_centre", watch);
  }

  private CareClient client(String userId, String loginId) {
    CareClient client = new CareClient(node, userId);
    client.login(loginId, PASSWORD);
    return client;
  }

  private static String account(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility) {
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "太郎", "イナ", "タロウ",
        profession, role, facility), PASSWORD, "windows").userId();
  }

  @Override
  public void close() {
    node.close();
    mail.stop();
  }

  /** The subjects of the mails a recipient got. */
  List<String> mailsTo(String address) {
    return java.util.Arrays.stream(mail.getReceivedMessages()).filter(m -> {
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
}
