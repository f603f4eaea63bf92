package jp.tsunagu.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.teams.FederatedUsers;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage report of a node that serves two municipalities (伊那市 and 南箕輪村, as a joint council's
 * node would): disaster safety checks, watch-sensor alerts, emergency accesses (a partner's
 * responder's among them) and lookups of a patient's nearby resources are each counted in the municipality where the use happened, on the screen's
 * JSON and in the CSV; what belongs to no municipality stays with the whole node, and a use whose
 * municipality is not on record is shown as 不明, never given to a municipality.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageByMunicipalityTest {

  static final String INA = "202096";
  static final String MINAMIMINOWA = "203858";
  static final String PASSWORD = "Kamiina-report-2026!";
  static final String HEADER = "氏名,ふりがな,生年月日,性別,住所,地区,電話,支援が必要な理由,避難支援者,避難支援者連絡先,"
      + "情報提供への同意,個別避難計画,避難先\n";

  @TempDir
  static Path dir;
  TsunaguNode node;
  CareClient staff;
  CareClient nurse;
  CareClient responder;
  String inaPatient;
  String mmPatient;
  String thisMonth;

  @BeforeAll
  void start() {
    JsonObject config = TestNodes.json("ina");
    config.getJsonObject("node").put("municipalities", new JsonArray().add(INA).add(MINAMIMINOWA));
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("上伊那広域訪問看護ステーション", INA, "長野県", "訪問看護");
    staff = client(seeder, "kamiina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    nurse = client(seeder, "kamiina-kango", Role.PROFESSIONAL, "nurse", Optional.of(facility));
    responder = client(seeder, "kamiina-kyukyu", Role.EMERGENCY_RESPONDER, "ems_crew", Optional.empty());
    inaPatient = created(nurse.post("/api/v1/patients", ReportsBed.patient()));
    mmPatient = created(nurse.post("/api/v1/patients", ReportsBed.patient().put("familyName", "有賀")
        .put("givenName", "トメ").put("familyKana", "アルガ").put("givenKana", "トメ").put("birthDate", "1933-07-07")
        .put("address", "南箕輪村北殿100").put("municipalityCode", MINAMIMINOWA).put("phone", "0265-76-0002")));
    thisMonth = YearMonth.now(ZoneId.of("Asia/Tokyo")).toString();
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private CareClient client(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility) {
    String id = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@kamiina.example.jp", "上伊那", "太郎",
        "カミイナ", "タロウ", profession, role, facility), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(loginId, PASSWORD);
    return client;
  }

  private static String created(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isIn(200, 201);
    return reply.json().getString("id");
  }

  private JsonObject report() {
    CareClient.Reply reply = staff.get("/api/v1/reports/usage?from=" + thisMonth + "&to=" + thisMonth);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static Optional<JsonObject> area(JsonObject report, String code) {
    return report.getJsonArray("areas").stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("code").equals(code)).findFirst();
  }

  private JsonObject figures(JsonObject report, String code) {
    return area(report, code).orElseThrow(() -> new AssertionError("no area " + code + " in " + report))
        .getJsonArray("months").getJsonObject(0).getJsonObject("figures");
  }

  private String personKey(String name) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select person_key from disaster_register_people where name = ?"
          + " limit 1")) {
        s.setString(1, name);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  private void write(String sql, Object... params) {
    node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          s.setObject(i + 1, params[i]);
        }
        s.executeUpdate();
      }
      return null;
    }).join();
  }

  private static JsonObject household(String gateway, String device) {
    return new JsonObject()
        .put("consent", new JsonObject().put("by", "本人").put("relation", "本人").put("at", "2026-11-01"))
        .put("devices", new JsonArray().add(new JsonObject().put("id", device).put("place", "entrance")
            .put("gatewayId", gateway)))
        .put("contacts", new JsonArray().add(new JsonObject().put("name", "上伊那 花子").put("relation", "長女")
            .put("phone", "090-0000-0001")));
  }

  /** An alert as the rules raise it (they are tested with the sensors); a household has one open episode per rule. */
  private void alert(String householdId, String kind, String state) {
    write("insert into sensor_alerts (id, household_id, gateway_id, device_id, kind, audience, state, raised_ms,"
        + " detail) values (?, ?, ?, null, ?, ?, ?, ?, '{}')", java.util.UUID.randomUUID().toString(),
        householdId, householdId == null ? "kamiina-gw" : null, kind, householdId == null ? "staff" : "call_centre",
        state, Instant.now().toEpochMilli());
  }

  @Test
  @Order(1)
  void disaster_sensor_and_emergency_use_is_counted_in_the_municipality_where_it_happened() {
    // The register: one person in each municipality, then a disaster and a safety check of each.
    byte[] csv = (HEADER + "唐沢 ハル,からさわ はる,1930/3/3,女,長野県伊那市西箕輪2000,西箕輪,0265-00-0011,独居,,,有,無,\n"
        + "有賀 キク,あるが きく,1932/4/4,女,長野県上伊那郡南箕輪村北殿200,北殿,0265-00-0012,要介護2,,,有,無,\n")
        .getBytes(StandardCharsets.UTF_8);
    CareClient.Reply uploaded = staff.postBytes("/api/v1/disaster/register/imports", csv, "text/csv");
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(staff.post("/api/v1/disaster/register/imports/" + uploaded.json().getString("id") + "/confirm",
        new JsonObject()).status()).isEqualTo(200);
    assertThat(staff.post("/api/v1/disaster/declarations", new JsonObject().put("kind", "地震")
        .put("districts", new JsonArray())).status()).isEqualTo(201);
    assertThat(staff.post("/api/v1/disaster/safety-checks", new JsonObject().put("personKey", personKey("唐沢 ハル"))
        .put("status", "safe").put("shelter", "").put("note", "")).status()).isEqualTo(201);
    assertThat(staff.post("/api/v1/disaster/safety-checks", new JsonObject().put("personKey", personKey("有賀 キク"))
        .put("status", "shelter").put("shelter", "南箕輪村民センター").put("note", "")).status()).isEqualTo(201);

    // Watch sensors: the 伊那市 patient's home and the 南箕輪村 register person's home, and a gateway.
    write("insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute, issued_by, issued_at)"
        + " values ('kamiina-gw', '上伊那ゲートウェイ', '上伊那見守り', '{}', 'active', 600, ?, ?)", staff.userId,
        Instant.now().toString());
    String inaHome = created(staff.post("/api/v1/sensors/households", household("kamiina-gw", "door-ina")
        .put("patientId", inaPatient).put("residentName", "春日 八重").put("address", "伊那市西箕輪3000-1")
        .put("district", "西箕輪").put("phone", "0265-72-0001")));
    String mmHome = created(staff.post("/api/v1/sensors/households", household("kamiina-gw", "door-mm")
        .put("registerPersonKey", "あるが きく/1932-04-04")));
    alert(inaHome, "no_activity", "raised");
    alert(mmHome, "heat", "resolved");
    alert(mmHome, "heat", "raised");
    alert(null, "gateway_silent", "raised");

    // Emergency: this node's responder opens the 南箕輪村 patient; a partner's responder the 伊那市 patient.
    CareClient.Reply opened = responder.post("/api/v1/emergency/accesses", new JsonObject().put("patientId", mmPatient)
        .put("reason", "意識障害で救急要請、既往歴の確認").put("dispatchNumber", "R8-00001"));
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    node.services().database().submitWrite(c -> {
      new FederatedUsers("ina").upsertShadow(c, FederatedId.parse("mm-kyukyu@minamiminowa"),
          new JsonObject().put("familyName", "南箕 救急（南箕輪村）").put("profession", "ems_crew"));
      return null;
    }).join();
    write("insert into emergency_accesses (id, responder_id, responder_name, patient_id, reason, dispatch_number,"
        + " opened_at, expires_at) values ('partner-access', 'mm-kyukyu@minamiminowa', '南箕 救急', ?, '搬送中',"
        + " 'M8-00002', ?, ?)", inaPatient, Instant.now().toString(), Instant.now().plusSeconds(1800).toString());

    // A team member looks up the 南箕輪村 patient's nearby resources (the lookup's audit entry is its count).
    AuditLog audit = new AuditLog(node.services().database(), node.services().clock());
    node.services().database().submitWrite(c -> {
      audit.append(c, AuditEvent.success(nurse.userId, "patient.nearby_resources", "patient:" + mmPatient,
          new JsonObject()));
      return null;
    }).join();

    JsonObject report = report();
    JsonObject ina = figures(report, INA);
    JsonObject mm = figures(report, MINAMIMINOWA);
    JsonObject wholeNode = figures(report, "");
    assertThat(ina.getLong("disaster.people_checked")).isEqualTo(1);
    assertThat(ina.getLong("disaster.safety_checks:safe")).isEqualTo(1);
    assertThat(ina.containsKey("disaster.safety_checks:shelter")).isFalse();
    assertThat(mm.getLong("disaster.people_checked")).isEqualTo(1);
    assertThat(mm.getLong("disaster.safety_checks:shelter")).isEqualTo(1);
    assertThat(wholeNode.getLong("disaster.declarations")).isEqualTo(1);
    assertThat(wholeNode.containsKey("disaster.people_checked")).isFalse();

    assertThat(ina.getLong("sensors.alerts:no_activity")).isEqualTo(1);
    assertThat(ina.containsKey("sensors.alerts:heat")).isFalse();
    assertThat(mm.getLong("sensors.alerts:heat")).isEqualTo(2);
    assertThat(wholeNode.getLong("sensors.alerts:gateway_silent")).isEqualTo(1);
    assertThat(wholeNode.containsKey("sensors.alerts:heat")).isFalse();

    assertThat(ina.getLong("emergency.accesses")).isEqualTo(1);
    assertThat(ina.getLong("emergency.partner_accesses")).isEqualTo(1);
    assertThat(mm.getLong("emergency.accesses")).isEqualTo(1);
    assertThat(mm.getLong("emergency.partner_accesses")).isZero();
    assertThat(wholeNode.getLong("emergency.accesses_at_partners")).isZero();
    assertThat(mm.getLong("resources.views")).isEqualTo(1);
    assertThat(ina.getLong("resources.views")).isZero();
    assertThat(wholeNode.getLong("resources.partner_views")).isZero();
    assertThat(area(report, "unknown")).as("every use here has its municipality on record").isEmpty();
    assertThat(area(report, MINAMIMINOWA).orElseThrow().getString("name")).isEqualTo("南箕輪村");
    assertThat(report.encode()).doesNotContain("唐沢", "有賀", "キク", inaPatient, mmPatient);

    String text = new String(staff.download("/api/v1/reports/usage.csv?from=" + thisMonth + "&to=" + thisMonth).body(),
        StandardCharsets.UTF_8);
    assertThat(text).contains(thisMonth + "," + MINAMIMINOWA + ",南箕輪村,sensors.alerts:heat,センサー通報 高温,2\r\n",
        thisMonth + "," + INA + ",伊那市,disaster.people_checked,安否確認できた人,1\r\n",
        thisMonth + "," + MINAMIMINOWA + ",南箕輪村,disaster.people_checked,安否確認できた人,1\r\n",
        thisMonth + "," + INA + ",伊那市,emergency.partner_accesses,連携先の救急による緊急閲覧,1\r\n",
        thisMonth + ",,ノード全体,disaster.declarations,災害モードの宣言,1\r\n");
    assertThat(text).doesNotContain("不明");
  }

  /** A use kept from before the municipality was recorded, which the record could not place. */
  @Test
  @Order(2)
  void a_use_whose_municipality_is_not_on_record_is_shown_as_unknown_and_given_to_no_municipality() {
    JsonObject before = report();
    String declaration = TestSql.count(node, "select count(*) from disaster_declarations") > 0
        ? node.services().database().submitRead(c -> {
          try (var s = c.prepareStatement("select id from disaster_declarations limit 1"); var rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        }).join() : null;
    write("insert into disaster_safety_checks (id, declaration_id, person_key, district, status, shelter, note,"
        + " recorded_by, recorded_at, municipality_code) values ('older-check', ?, 'イドウ/1931-01-01', '北殿',"
        + " 'safe', '', '', ?, ?, null)", declaration, staff.userId, Instant.now().toString());

    JsonObject report = report();
    JsonObject unknown = figures(report, "unknown");
    assertThat(area(report, "unknown").orElseThrow().getString("name")).isEqualTo("不明");
    assertThat(unknown.getLong("disaster.people_checked")).isEqualTo(1);
    assertThat(unknown.getLong("disaster.safety_checks:safe")).isEqualTo(1);
    assertThat(figures(report, INA).getLong("disaster.people_checked"))
        .isEqualTo(figures(before, INA).getLong("disaster.people_checked"));
    assertThat(figures(report, MINAMIMINOWA).getLong("disaster.people_checked"))
        .isEqualTo(figures(before, MINAMIMINOWA).getLong("disaster.people_checked"));
    String text = new String(staff.download("/api/v1/reports/usage.csv?from=" + thisMonth + "&to=" + thisMonth).body(),
        StandardCharsets.UTF_8);
    assertThat(text).contains(thisMonth + ",unknown,不明,disaster.people_checked,安否確認できた人,1\r\n");
  }
}
