package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.node.testing.TestAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateway credentials issued, listed and revoked by 行政 and by the operator, each step audited. */
class GatewayCredentialTest {

  @TempDir
  static Path dir;
  static SensorsBed bed;

  @BeforeAll
  static void start() {
    bed = new SensorsBed(dir);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static JsonObject request(SigningKey key) {
    return new JsonObject().put("name", "伊那 美篶ゲートウェイ").put("provider", "みまもりテック株式会社")
        .put("publicKey", new JsonObject(key.verificationKey().toJson()));
  }

  @Test
  void municipal_staff_register_a_providers_public_key_list_it_and_revoke_it() {
    SigningKey key = SigningKey.generate();
    HttpResponse<String> issued = bed.staff.postJson("/api/v1/sensors/gateways", request(key).put("ratePerMinute", 30));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    JsonObject gateway = new JsonObject(issued.body());
    String id = gateway.getString("id");
    assertThat(id).startsWith("gw-");
    assertThat(gateway.getString("status")).isEqualTo("active");
    assertThat(gateway.getInteger("ratePerMinute")).isEqualTo(30);
    assertThat(gateway.getString("keyFingerprint")).isEqualTo(key.verificationKey().fingerprint());
    assertThat(gateway.getJsonObject("publicKey").containsKey("d")).isFalse();

    JsonArray listed = new JsonObject(bed.staff.get("/api/v1/sensors/gateways").body()).getJsonArray("gateways");
    assertThat(listed.stream().map(g -> ((JsonObject) g).getString("id"))).contains(id);

    HttpResponse<String> revoked = bed.staff.postJson("/api/v1/sensors/gateways/" + id + "/revoke", new JsonObject());
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(revoked.body()).getString("status")).isEqualTo("revoked");
    HttpResponse<String> again = bed.staff.postJson("/api/v1/sensors/gateways/" + id + "/revoke", new JsonObject());
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(again.body()).getString("code")).isEqualTo("sensors.gateway_already_revoked");
    assertThat(bed.count("select count(*) from audit_log where target = 'sensor_gateway:" + id + "' and actor = '"
        + bed.staffUserId + "' and action in ('sensors.gateway.issued', 'sensors.gateway.revoked')")).isEqualTo(2);
  }

  @Test
  void a_private_key_or_a_key_that_is_not_ed25519_is_refused_and_nothing_is_issued() {
    long before = bed.count("select count(*) from sensor_gateways");
    JsonObject withPrivate = request(SigningKey.generate());
    withPrivate.getJsonObject("publicKey").put("d", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I");
    assertCode(bed.staff.postJson("/api/v1/sensors/gateways", withPrivate), 400, "sensors.private_key_sent");
    JsonObject notEd25519 = request(SigningKey.generate());
    notEd25519.getJsonObject("publicKey").put("crv", "X25519");
    assertCode(bed.staff.postJson("/api/v1/sensors/gateways", notEd25519), 400, "sensors.public_key_invalid");
    assertCode(bed.staff.postJson("/api/v1/sensors/gateways", request(SigningKey.generate()).put("ratePerMinute", 0)),
        400, "sensors.rate_invalid");
    assertCode(bed.staff.postJson("/api/v1/sensors/gateways", request(SigningKey.generate()).put("name", " ")), 400,
        "sensors.gateway_name_invalid");
    assertThat(bed.count("select count(*) from sensor_gateways")).isEqualTo(before);
  }

  @Test
  void only_municipal_staff_reach_the_gateway_routes() {
    assertCode(bed.nurse.get("/api/v1/sensors/gateways"), 403, null);
    assertCode(bed.nurse.postJson("/api/v1/sensors/gateways", request(SigningKey.generate())), 403, null);
    assertCode(new SensorsClient(bed.node).anonymous().get("/api/v1/sensors/gateways"), 401, null);
    assertCode(bed.staff.postJson("/api/v1/sensors/gateways/gw-nothing/revoke", new JsonObject()), 404,
        "sensors.gateway_not_found");
  }

  @Test
  void the_operator_issues_lists_and_revokes_through_the_admin_api_naming_the_account_acting() throws Exception {
    HttpResponse<String> issued = admin("POST", "/admin/v1/sensors/gateways",
        request(SigningKey.generate()).put("issuedBy", "ina-unyou"));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String id = new JsonObject(issued.body()).getString("id");
    bed.household(new SensorsBed.Gateway(id, null));

    JsonObject devices = new JsonObject(admin("GET", "/admin/v1/sensors/gateways/" + id + "/devices", null).body());
    assertThat(devices.getJsonArray("devices")).hasSize(5);
    assertThat(devices.getJsonArray("devices").getJsonObject(0).fieldNames())
        .contains("id", "household", "place", "kind", "householdStatus");
    assertThat(admin("GET", "/admin/v1/sensors/gateways", null).body()).contains(id);
    assertCode(admin("POST", "/admin/v1/sensors/gateways/" + id + "/revoke", new JsonObject().put("revokedBy",
        "ina-kango")), 400, "sensors.operator_unknown");
    HttpResponse<String> revoked = admin("POST", "/admin/v1/sensors/gateways/" + id + "/revoke",
        new JsonObject().put("revokedBy", "ina-gyosei"));
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(bed.count("select count(*) from audit_log where target = 'sensor_gateway:" + id
        + "' and actor = 'operator'")).isEqualTo(2);
    assertCode(admin("POST", "/admin/v1/sensors/gateways", request(SigningKey.generate())), 400,
        "sensors.operator_required");
  }

  private static HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(bed.node.adminUrl().resolve(path))
        .header("Authorization", TestAdmin.authorization(bed.node)).header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertCode(HttpResponse<String> answer, int status, String code) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    if (code != null) {
      assertThat(new JsonObject(answer.body()).getString("code")).isEqualTo(code);
    }
  }

}
