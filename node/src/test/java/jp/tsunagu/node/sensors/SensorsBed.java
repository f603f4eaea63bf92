package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 node with 行政, a nurse and a node operator, and what enrolment would have made
 * (households and their five sensors, written as rows: enrolment is the other half of the feature).
 * Gateways are issued through 行政's API with keys generated here, as a provider would.
 */
final class SensorsBed implements AutoCloseable {

  static final String PASSWORD = "Ina-mimamori-2026!";
  static final List<String[]> PLACES = List.of(new String[] {"entrance", "door"}, new String[] {"fridge", "door"},
      new String[] {"bathroom", "door"}, new String[] {"toilet", "door"}, new String[] {"room", "climate"});

  /** An issued gateway and the provider's private key for it. */
  record Gateway(String id, SigningKey key) {}

  final TsunaguNode node;
  final SensorsClient staff;
  final SensorsClient nurse;
  final String staffUserId;

  /** The raw readings of one household, for a test's count (readings are keyed by integer numbers). */
  static String readingsOf(String householdId) {
    return "sensor_readings where household_key = (select key from sensor_household_keys where household_id = '"
        + householdId + "')";
  }

  SensorsBed(Path dir) {
    this(dir, new JsonObject());
  }

  /** @param sensors the {@code sensors} section of the configuration (empty: the defaults) */
  SensorsBed(Path dir, JsonObject sensors) {
    JsonObject config = TestNodes.json("ina").put("sensors", sensors);
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "訪問看護");
    staffUserId = account(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    account(seeder, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(facility));
    account(seeder, "ina-unyou", Role.NODE_OPERATOR, "municipal_staff", Optional.empty());
    staff = new SensorsClient(node).login("ina-gyosei", PASSWORD);
    nurse = new SensorsClient(node).login("ina-kango", PASSWORD);
  }

  private static String account(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility) {
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "花子", "イナ",
        "ハナコ", profession, role, facility), PASSWORD, "windows").userId();
  }

  Gateway issue(String name, int ratePerMinute) {
    SigningKey key = SigningKey.generate();
    HttpResponse<String> issued = staff.postJson("/api/v1/sensors/gateways", new JsonObject().put("name", name)
        .put("provider", "みまもりテック株式会社").put("ratePerMinute", ratePerMinute)
        .put("publicKey", new JsonObject(key.verificationKey().toJson())));
    if (issued.statusCode() != 201) {
      throw new AssertionError("issue failed: " + issued.body());
    }
    return new Gateway(new JsonObject(issued.body()).getString("id"), key);
  }

  /** A monitored household with its five sensors on the gateway; device ids are {@code <household>-<place>}. */
  String household(Gateway gateway) {
    String id = "hh-" + UUID.randomUUID().toString().substring(0, 8);
    node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("insert into sensor_households (id, register_person_key,"
          + " resident_name, address, district, phone, status, consent_by, consent_relation, consent_at,"
          + " enrolled_by, enrolled_at) values (?, ?, '伊那 太郎', '伊那市荒井1-1', '伊那', '0265-00-0000', 'active',"
          + " '伊那 太郎', '本人', ?, ?, ?)")) {
        s.setString(1, id);
        s.setString(2, "person-" + id);
        s.setString(3, Instant.now().toString());
        s.setString(4, staffUserId);
        s.setString(5, Instant.now().toString());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("insert into sensor_devices (id, household_id, gateway_id, place,"
          + " kind) values (?, ?, ?, ?, ?)")) {
        for (String[] place : PLACES) {
          s.setString(1, id + "-" + place[0]);
          s.setString(2, id);
          s.setString(3, gateway.id());
          s.setString(4, place[0]);
          s.setString(5, place[1]);
          s.executeUpdate();
        }
      }
      return null;
    }).join();
    return id;
  }

  void withdraw(String householdId, Instant at) {
    node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("update sensor_households set status = 'withdrawn',"
          + " withdrawn_by = ?, withdrawn_at = ? where id = ?")) {
        s.setString(1, staffUserId);
        s.setString(2, at.toString());
        s.setString(3, householdId);
        s.executeUpdate();
      }
      return null;
    }).join();
  }

  HttpResponse<String> send(Gateway gateway, List<GatewayBatch.Reading> readings) {
    byte[] body = GatewayBatch.body(gateway.id(), "b-" + UUID.randomUUID(), System.currentTimeMillis(), readings);
    return new SensorsClient(node).postBatch(body, GatewayBatch.sign(gateway.key(), body));
  }

  static GatewayBatch.Reading door(String household, String place, long sequence, long atMs, String kind) {
    return new GatewayBatch.Reading(household + "-" + place, sequence, atMs, kind, null, null, 90);
  }

  static GatewayBatch.Reading climate(String household, long sequence, long atMs, String temp, String humidity) {
    return new GatewayBatch.Reading(household + "-room", sequence, atMs, "climate", new java.math.BigDecimal(temp),
        new java.math.BigDecimal(humidity), 80);
  }

  long count(String sql) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql); var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }).join();
  }

  /** Rows of every sensor table and the devices' and gateways' last-seen marks: what a refusal must leave as it was. */
  List<Object> state() {
    List<Object> state = new ArrayList<>();
    state.add(count("select count(*) from sensor_readings"));
    state.add(count("select count(*) from sensor_hourly"));
    state.add(count("select coalesce(sum(door_events), 0) + coalesce(sum(climate_count), 0) from sensor_hourly"));
    state.add(count("select coalesce(sum(last_seen_ms), 0) + coalesce(sum(battery), 0) from sensor_devices"));
    state.add(count("select coalesce(sum(last_seen_ms), 0) from sensor_gateways"));
    return state;
  }

  long refusalsAudited(String code) {
    return count("select count(*) from audit_log where action = 'sensors.batch.refused' and detail like '%\"" + code
        + "\"%'");
  }

  @Override
  public void close() {
    node.close();
  }
}
