package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolment by 行政: a household for a patient or a person of the 要援護者台帳 with the consent and its
 * scan, the sensors and their gateway, the family contacts in order and the rules; every bad request
 * refused with its own code and nothing stored; withdrawal; each step audited.
 */
class EnrolmentTest {

  @TempDir
  static Path dir;
  static CallCentreBed bed;
  static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void start() {
    bed = new CallCentreBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void staff_enrol_a_patient_with_the_consent_scan_sensors_contacts_and_rules_and_read_it_back() {
    CareClient.Reply scan = bed.staff.postBytes("/api/v1/sensors/consent-scans", PDF, "application/pdf");
    assertThat(scan.status()).as(scan.body()).isEqualTo(201);
    JsonObject enrolment = bed.enrolment("ok");
    enrolment.getJsonObject("consent").put("scanId", scan.json().getString("id"));
    enrolment.put("rules", new JsonObject().put("noActivityHours", 8).put("heatTemp", 27.5));
    CareClient.Reply created = bed.staff.post("/api/v1/sensors/households", enrolment);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    JsonObject read = bed.staff.get("/api/v1/sensors/households/" + id).json();
    assertThat(read.getString("patientId")).isEqualTo(bed.patientId);
    assertThat(read.getJsonObject("consent").getString("scanId")).isEqualTo(scan.json().getString("id"));
    assertThat(read.getJsonArray("contacts").stream().map(c -> ((JsonObject) c).getString("name")).toList())
        .containsExactly("春日 一郎", "春日 良子");
    assertThat(read.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("place")).toList())
        .containsExactlyInAnyOrder("entrance", "fridge", "room");
    assertThat(read.getInteger("noActivityHours")).isEqualTo(8);
    assertThat(read.getJsonObject("rules").getDouble("heatTemp")).isEqualTo(27.5);
    HttpResponse<byte[]> file = bed.staff.download("/api/v1/sensors/consent-scans/" + scan.json().getString("id"));
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).isEqualTo(PDF);
    assertThat(bed.staff.get("/api/v1/sensors/households").json().getJsonArray("households")).hasSize(1);
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'sensors.household.enrolled'"
        + " and outcome = 'success'")).isEqualTo(1);
    CareClient.Reply again = bed.staff.post("/api/v1/sensors/households", bed.enrolment("ok2"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("sensors.already_enrolled");

    CareClient.Reply withdrawn = bed.staff.post("/api/v1/sensors/households/" + id + "/withdraw", new JsonObject());
    assertThat(withdrawn.json().getString("status")).isEqualTo("withdrawn");
    assertThat(bed.staff.post("/api/v1/sensors/households/" + id + "/withdraw", new JsonObject()).code())
        .isEqualTo("sensors.already_withdrawn");
    assertThat(bed.staff.post("/api/v1/sensors/households/nope/withdraw", new JsonObject()).code())
        .isEqualTo("sensors.household_not_found");
  }

  @Test
  void a_person_of_the_register_is_enrolled_as_the_register_records_them_and_one_it_lacks_is_refused() {
    bed.importRegister("北沢 キヨ,きたざわ きよ,1936-02-11,女,伊那市美篶1200-2,美篶,0265-00-0002,独居,,,有,,");
    JsonObject enrolment = bed.enrolment("reg").put("registerPersonKey", "きたざわ きよ/1936-02-11")
        .put("residentName", "打ち間違い").put("address", "どこか").put("phone", "0000-00-0000");
    enrolment.remove("patientId");
    CareClient.Reply created = bed.staff.post("/api/v1/sensors/households", enrolment);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("registerPersonKey")).isEqualTo("キタザワキヨ/1936-02-11");
    assertThat(created.json().getString("patientId")).isNull();
    assertThat(created.json().getString("residentName")).isEqualTo("北沢 キヨ");
    assertThat(created.json().getString("address")).isEqualTo("伊那市美篶1200-2");
    assertThat(created.json().getString("district")).isEqualTo("美篶");
    assertThat(created.json().getString("phone")).isEqualTo("0265-00-0002");
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'sensors.household.enrolled'"
        + " and detail like '%\"registerVersion\":1%'")).isEqualTo(1);

    long households = TestSql.count(bed.node, "select count(*) from sensor_households");
    JsonObject unknown = bed.enrolment("reg-unknown").put("registerPersonKey", "キタザワキヨ/1936-02-12");
    unknown.remove("patientId");
    CareClient.Reply refused = bed.staff.post("/api/v1/sensors/households", unknown);
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.code()).isEqualTo("sensors.register_person_not_found");
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_households")).isEqualTo(households);
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_devices where id = 'door-reg-unknown'")).isZero();
  }

  @Test
  void every_bad_enrolment_gets_its_code_and_nothing_is_stored() {
    bed.write("insert into sensor_gateways (id, name, provider, public_key, status, rate_per_minute, issued_by,"
        + " issued_at) values ('gw-revoked', '失効', 'テスト', 'k', 'revoked', 60, ?, '2026-01-01T00:00:00Z')",
        bed.staffId);
    bed.enrol("taken-base-" + System.nanoTime());
    Map<String, UnaryOperator<JsonObject>> cases = new java.util.LinkedHashMap<>();
    cases.put("sensors.resident_required", e -> { e.remove("patientId"); return e; });
    cases.put("sensors.patient_not_found", e -> e.put("patientId", "no-such-patient"));
    cases.put("sensors.invalid_field", e -> e.put("residentName", ""));
    cases.put("sensors.invalid_field#person", e -> { e.remove("patientId"); return e.put("registerPersonKey", "person-42"); });
    cases.put("sensors.invalid_phone", e -> e.put("phone", "電話"));
    cases.put("sensors.consent_required", e -> { e.remove("consent"); return e; });
    cases.put("sensors.invalid_field#date", e -> { e.getJsonObject("consent").put("at", "昨日"); return e; });
    cases.put("sensors.devices_required", e -> e.put("devices", new JsonArray()));
    cases.put("sensors.device_invalid", e -> { e.getJsonArray("devices").getJsonObject(0).put("place", "garage");
      return e; });
    cases.put("sensors.device_invalid#duplicate", e -> { e.getJsonArray("devices").getJsonObject(1).put("id",
        e.getJsonArray("devices").getJsonObject(0).getString("id")); return e; });
    cases.put("sensors.door_sensor_required", e -> e.put("devices", new JsonArray().add(new JsonObject()
        .put("id", "room-only").put("place", "room").put("gatewayId", CallCentreBed.GATEWAY))));
    cases.put("sensors.gateway_unknown", e -> { e.getJsonArray("devices").getJsonObject(0).put("gatewayId", "gw-none");
      return e; });
    cases.put("sensors.gateway_unknown#revoked", e -> { e.getJsonArray("devices").getJsonObject(0)
        .put("gatewayId", "gw-revoked"); return e; });
    cases.put("sensors.contacts_required", e -> e.put("contacts", new JsonArray()));
    cases.put("sensors.contact_invalid", e -> { e.getJsonArray("contacts").getJsonObject(0).put("mail", "not-a-mail");
      return e; });
    cases.put("sensors.rule_invalid", e -> e.put("rules", new JsonObject().put("noActivityHours", 1)));
    cases.put("sensors.rule_invalid#heat", e -> e.put("rules", new JsonObject().put("heatTemp", 60)));
    cases.put("sensors.scan_not_found", e -> { e.getJsonObject("consent").put("scanId", "no-scan"); return e; });
    Map<String, Long> before = TestSql.rowCounts(bed.node);
    String[] given = "一二三四五六七八九十百千万億兆京垓秭穣溝澗".split("");
    int i = 0;
    for (Map.Entry<String, UnaryOperator<JsonObject>> c : cases.entrySet()) {
      String patient = bed.nurse.post("/api/v1/patients", CallCentreBed.patient("小池", "清" + given[i++])).json()
          .getString("id");
      assertThat(patient).isNotNull();
      before = TestSql.rowCounts(bed.node);
      JsonObject body = c.getValue().apply(bed.enrolment("bad").put("patientId", patient));
      CareClient.Reply refused = bed.staff.post("/api/v1/sensors/households", body);
      assertThat(refused.code()).as(c.getKey() + ": " + refused.body()).isEqualTo(c.getKey().split("#")[0]);
      assertThat(refused.status()).isBetween(400, 409);
      Map<String, Long> after = new java.util.HashMap<>(TestSql.rowCounts(bed.node));
      assertThat(after).as(c.getKey()).isEqualTo(before);
    }
    CareClient.Reply wrongType = bed.staff.postBytes("/api/v1/sensors/consent-scans", "plain text".getBytes(
        StandardCharsets.UTF_8), "application/pdf");
    assertThat(wrongType.code()).isEqualTo("sensors.scan_type");
    assertThat(TestSql.count(bed.node, "select count(*) from sensor_consent_scans where size = 10")).isZero();
  }
}
