package jp.tsunagu.node.sensors;

import static jp.tsunagu.node.sensors.SensorsBed.climate;
import static jp.tsunagu.node.sensors.SensorsBed.door;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.sensors.GatewayBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of a batch: its status and stable code, nothing stored (readings, aggregates, the
 * devices' and the gateway's last-seen marks), and the refusal in the audit log.
 */
class IngestRefusalTest {

  @TempDir
  static Path dir;
  static SensorsBed bed;
  static SensorsBed.Gateway gateway;
  static SensorsBed.Gateway other;
  static String household;
  static String othersHousehold;

  @BeforeAll
  static void start() {
    // Small limits, so that an oversized batch is cheap to build.
    bed = new SensorsBed(dir, new JsonObject().put("maxBatchBytes", 20_000).put("maxBatchReadings", 50));
    gateway = bed.issue("伊那 手良ゲートウェイ", 600);
    other = bed.issue("伊那 高遠ゲートウェイ", 600);
    household = bed.household(gateway);
    othersHousehold = bed.household(other);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Sends, then checks the answer's status and code, that nothing changed, and that the refusal was audited. */
  private static void refused(Supplier<HttpResponse<String>> send, int status, String code) {
    List<Object> before = bed.state();
    long audited = bed.refusalsAudited(code);

    HttpResponse<String> answer = send.get();

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(new JsonObject(answer.body()).getString("code")).isEqualTo(code);
    assertThat(bed.state()).isEqualTo(before);
    if (status != 413 && status != 429) {
      assertThat(bed.refusalsAudited(code)).isEqualTo(audited + 1);
    }
  }

  private static HttpResponse<String> signedBy(SigningKey key, String gatewayId, List<GatewayBatch.Reading> readings) {
    byte[] body = GatewayBatch.body(gatewayId, "b-1", now(), readings);
    return new SensorsClient(bed.node).postBatch(body, GatewayBatch.sign(key, body));
  }

  private static List<GatewayBatch.Reading> one() {
    return List.of(door(household, "entrance", now(), now() - 60_000, "open"));
  }

  @Test
  void an_unknown_gateway_is_refused() {
    refused(() -> signedBy(SigningKey.generate(), "gw-0000000000000000", one()), 401, "ingest.gateway_unknown");
  }

  @Test
  void a_revoked_gateway_is_refused_also_when_revoked_between_two_batches_of_a_stream() {
    SensorsBed.Gateway revoked = bed.issue("失効するゲートウェイ", 600);
    String itsHousehold = bed.household(revoked);
    assertThat(bed.send(revoked, List.of(door(itsHousehold, "fridge", 1, now() - 1_000, "open"))).statusCode())
        .isEqualTo(200);
    HttpResponse<String> revoke = bed.staff.postJson("/api/v1/sensors/gateways/" + revoked.id() + "/revoke",
        new JsonObject());
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);

    refused(() -> bed.send(revoked, List.of(door(itsHousehold, "fridge", 2, now() - 500, "close"))), 403,
        "ingest.gateway_revoked");
  }

  @Test
  void a_revocation_that_commits_while_a_verified_batch_waits_for_the_writer_refuses_it_inside_the_write() {
    SensorsBed.Gateway revoked = bed.issue("書き込み待ちに失効するゲートウェイ", 600);
    String itsHousehold = bed.household(revoked);
    IngestBatch verified = new IngestBatch(revoked.id(), "b-in-flight", now(), List.of(
        new IngestBatch.Reading(itsHousehold + "-fridge", 1, now() - 1_000, "open", null, null, 90)));
    HttpResponse<String> revoke = bed.staff.postJson("/api/v1/sensors/gateways/" + revoked.id() + "/revoke",
        new JsonObject());
    assertThat(revoke.statusCode()).isEqualTo(200);
    List<Object> before = bed.state();

    ReadingSql.Outcome outcome = bed.node.services().database().submitWrite(c -> ReadingSql.store(c, verified, now()))
        .join();

    assertThat(outcome.refusal().code()).isEqualTo("ingest.gateway_revoked");
    assertThat(outcome.fresh()).isEmpty();
    assertThat(bed.state()).isEqualTo(before);
  }

  @Test
  void a_bad_signature_is_refused_whether_missing_made_with_another_key_or_over_other_bytes() {
    byte[] body = GatewayBatch.body(gateway.id(), "b-1", now(), one());
    refused(() -> new SensorsClient(bed.node).postBatch(body, null), 401, "ingest.signature_invalid");
    refused(() -> signedBy(other.key(), gateway.id(), one()), 401, "ingest.signature_invalid");
    String signature = GatewayBatch.sign(gateway.key(), body);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"open\"", "\"close\"")
        .getBytes(StandardCharsets.UTF_8);
    refused(() -> new SensorsClient(bed.node).postBatch(tampered, signature), 401, "ingest.signature_invalid");
    refused(() -> new SensorsClient(bed.node).postBatch(body, "not*base64"), 401, "ingest.signature_invalid");
  }

  @Test
  void another_gateways_device_and_an_unknown_device_are_refused_alike() {
    List<GatewayBatch.Reading> mixed = List.of(door(household, "fridge", 5, now() - 2_000, "open"),
        door(othersHousehold, "fridge", 5, now() - 2_000, "open"));
    refused(() -> bed.send(gateway, mixed), 403, "ingest.device_not_registered");
    refused(() -> bed.send(gateway, List.of(door("hh-nobody", "fridge", 5, now() - 2_000, "open"))), 403,
        "ingest.device_not_registered");
  }

  @Test
  void a_device_of_a_withdrawn_household_is_refused() {
    String withdrawn = bed.household(gateway);
    bed.withdraw(withdrawn, Instant.now());
    refused(() -> bed.send(gateway, List.of(door(withdrawn, "toilet", 1, now() - 1_000, "open"))), 422,
        "ingest.household_withdrawn");
  }

  @Test
  void a_time_more_than_five_minutes_ahead_is_refused_in_a_reading_or_as_the_sending_time() {
    refused(() -> bed.send(gateway, List.of(door(household, "fridge", 9, now() - 1_000, "open"),
        door(household, "fridge", 10, now() + 6 * 60_000, "close"))), 422, "ingest.time_in_future");
    byte[] body = GatewayBatch.body(gateway.id(), "b-1", now() + 10 * 60_000, one());
    refused(() -> new SensorsClient(bed.node).postBatch(body, GatewayBatch.sign(gateway.key(), body)), 422,
        "ingest.time_in_future");
  }

  @Test
  void a_reading_older_than_the_retention_period_is_refused() {
    refused(() -> bed.send(gateway, List.of(door(household, "fridge", 11, now() - 91L * 86_400_000, "open"))), 422,
        "ingest.reading_too_old");
  }

  @Test
  void a_reading_of_the_wrong_kind_for_its_sensor_is_refused() {
    refused(() -> bed.send(gateway, List.of(new GatewayBatch.Reading(household + "-fridge", 12, now() - 1_000,
        "climate", new java.math.BigDecimal("20.0"), new java.math.BigDecimal("50.0"), 90))), 422,
        "ingest.kind_mismatch");
  }

  @Test
  void malformed_json_and_malformed_batches_are_refused() {
    refused(() -> raw("{\"gateway\": "), 400, "validation.malformed");
    refused(() -> raw("[1, 2]"), 400, "validation.malformed");
    refused(() -> raw("{\"gateway\":\"" + gateway.id() + "\",\"batch\":\"b\",\"sentMs\":1}"), 400,
        "ingest.batch_malformed");
    refused(() -> raw("{\"gateway\":\"" + gateway.id() + "\",\"batch\":\"b\",\"sentMs\":\"soon\",\"readings\":[]}"),
        400, "ingest.batch_malformed");
    String badKind = "{\"gateway\":\"" + gateway.id() + "\",\"batch\":\"b\",\"sentMs\":" + now()
        + ",\"readings\":[{\"device\":\"" + household + "-fridge\",\"sequence\":1,\"atMs\":" + now()
        + ",\"kind\":\"ajar\"}]}";
    refused(() -> raw(badKind), 400, "ingest.batch_malformed");
    String noHumidity = "{\"gateway\":\"" + gateway.id() + "\",\"batch\":\"b\",\"sentMs\":" + now()
        + ",\"readings\":[{\"device\":\"" + household + "-room\",\"sequence\":1,\"atMs\":" + now()
        + ",\"kind\":\"climate\",\"temperature\":21.5}]}";
    refused(() -> raw(noHumidity), 400, "ingest.batch_malformed");
  }

  /** Signed by the gateway, so that only the structure is wrong. */
  private static HttpResponse<String> raw(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return new SensorsClient(bed.node).postBatch(body, GatewayBatch.sign(gateway.key(), body));
  }

  @Test
  void an_oversized_batch_is_refused_by_its_bytes_and_by_its_count_of_readings() {
    List<GatewayBatch.Reading> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(climate(household, 1_000 + i, now() - 60_000L * (i + 1), "20.0", "50.0"));
    }
    refused(() -> bed.send(gateway, many), 422, "ingest.too_many_readings");
    String padding = "x".repeat(21_000);
    refused(() -> raw("{\"gateway\":\"" + gateway.id() + "\",\"batch\":\"" + padding + "\"}"), 413,
        "request.too_large");
  }

  @Test
  void more_batches_than_the_gateways_rate_in_a_minute_are_refused() {
    SensorsBed.Gateway slow = bed.issue("1分に2回のゲートウェイ", 2);
    String itsHousehold = bed.household(slow);
    // The allowance is per clock minute: start early in one, so that the three batches fall into it.
    long intoMinute = now() % 60_000;
    if (intoMinute > 45_000) {
      sleep(60_000 - intoMinute + 100);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(bed.send(slow, List.of(door(itsHousehold, "fridge", i, now() - 1_000, "open"))).statusCode())
          .isEqualTo(200);
    }
    refused(() -> bed.send(slow, List.of(door(itsHousehold, "fridge", 999, now() - 1_000, "open"))), 429,
        "ingest.rate_exceeded");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
