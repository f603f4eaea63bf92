package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web and admin listeners of a real node on loopback, over real TLS. */
class WebListenerTest {

  @TempDir
  static Path dir;

  static TsunaguNode node;
  static TestHttp http;

  /** Routes that exist only to drive the shared error machinery from outside. */
  static final class ProbeRoutes implements RouteSet {
    @Override
    public void mountApi(io.vertx.ext.web.Router api) {
      api.post("/probe/echo").handler(ctx -> ctx.json(ctx.body().asJsonObject()));
      api.post("/probe/required").handler(ctx -> ctx.json(JsonBodies.required(ctx)));
      api.get("/probe/crash").handler(ctx -> {
        throw new IllegalStateException("secret internal detail at /srv/tsunagu");
      });
      api.get("/probe/refuse").handler(ctx -> ctx.fail(CodedException.notFound("care.not_a_member", "見つかりません。")));
    }
  }

  @BeforeAll
  static void start() {
    node = TsunaguNode.start(TestNodes.config(dir, "minamiminowa"), services -> List.of(new ProbeRoutes()));
    http = new TestHttp(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  private static void assertErrorShape(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("application/json"));
    JsonObject body = json(response);
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getString("requestId")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("/srv/");
  }

  @Test
  void liveness_answers_up() {
    HttpResponse<String> response = http.get("/health/live");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).getString("status")).isEqualTo("UP");
  }

  @Test
  void readiness_checks_the_database_and_its_schema_version_and_shows_the_details_on_the_admin_listener_only()
      throws Exception {
    // The public listener: the status alone (a load balancer reads only that).
    HttpResponse<String> open = http.get("/health/ready");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(json(open)).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(open.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(json(http.get("/health/live"))).isEqualTo(new JsonObject().put("status", "UP"));

    HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
        .newBuilder(node.adminUrl().resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject check = json(response).getJsonArray("checks").getJsonObject(0);
    assertThat(check.getString("id")).isEqualTo("database");
    assertThat(check.getJsonObject("data").getString("schema")).isEqualTo(node.services().database()
        .expectedSchemaVersion());
    assertThat(check.getJsonObject("data").getString("synchronous")).isEqualTo("FULL");
  }

  @Test
  void node_info_names_the_network_and_its_municipalities() {
    JsonObject info = json(http.get("/api/v1/node"));
    assertThat(info.getString("name")).isEqualTo("minamiminowa");
    assertThat(info.getString("displayName")).isEqualTo("まっくん電子連絡帳");
    assertThat(info.getJsonArray("municipalities").getJsonObject(0).getString("name")).isEqualTo("南箕輪村");
    assertThat(info.getBoolean("demo")).isFalse();
  }

  @Test
  void an_unknown_path_gets_404_in_the_error_shape() {
    assertErrorShape(http.get("/api/v1/no-such-thing"), 404, "http.not_found");
  }

  @Test
  void malformed_json_gets_400_in_the_error_shape() {
    assertErrorShape(http.post("/api/v1/probe/echo", "application/json", "{\"name\": "), 400,
        "validation.malformed");
  }

  @Test
  void a_body_that_is_not_a_json_object_gets_the_same_400_through_the_shared_reader() {
    assertErrorShape(http.post("/api/v1/probe/required", "application/json", "{\"name\": "), 400,
        "validation.malformed");
    assertErrorShape(http.post("/api/v1/probe/required", "application/json", "[1, 2]"), 400, "validation.malformed");
    assertErrorShape(http.post("/api/v1/probe/required", "application/json", ""), 400, "validation.malformed");
    assertThat(http.post("/api/v1/probe/required", "application/json", "{\"name\":\"伊那\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void well_formed_json_passes_through_the_same_route() {
    HttpResponse<String> response = http.post("/api/v1/probe/echo", "application/json", "{\"name\":\"伊那\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).getString("name")).isEqualTo("伊那");
  }

  @Test
  void a_body_over_the_limit_gets_413_in_the_error_shape() {
    String big = "{\"x\":\"" + "あ".repeat(400_000) + "\"}";
    assertErrorShape(http.post("/api/v1/probe/echo", "application/json", big), 413, "request.too_large");
  }

  @Test
  void an_unexpected_failure_gets_500_without_a_stack_trace_or_detail() {
    assertErrorShape(http.get("/api/v1/probe/crash"), 500, "internal.error");
  }

  @Test
  void a_domain_refusal_keeps_its_code_and_status() {
    assertErrorShape(http.get("/api/v1/probe/refuse"), 404, "care.not_a_member");
  }

  @Test
  void the_node_keeps_serving_after_failures() {
    http.get("/api/v1/probe/crash");
    http.post("/api/v1/probe/echo", "application/json", "not json");
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void the_web_shell_is_served_in_japanese_with_security_headers() {
    HttpResponse<String> response = http.get("/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("<html lang=\"ja\">").contains("ホーム");
    assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(response.headers().firstValue("Strict-Transport-Security")).isPresent();
  }

  @Test
  void tls_1_2_is_refused_and_tls_1_3_is_spoken() throws Exception {
    SSLContext context = TestHttp.trusting(node.services().keys().identity().tlsCertificate());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.webPort())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    SSLContext legacy = SSLContext.getInstance("TLSv1.2");
    legacy.init(null, new javax.net.ssl.TrustManager[] {new TrustEverythingForHandshakeOnly()}, null);
    assertThatThrownBy(() -> {
      try (SSLSocket socket = (SSLSocket) legacy.getSocketFactory().createSocket("127.0.0.1", node.webPort())) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.startHandshake();
      }
    }).isInstanceOfAny(SSLHandshakeException.class, java.net.SocketException.class);
  }

  @Test
  void prometheus_metrics_are_served_on_the_admin_listener() throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
        node.adminUrl().resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("jvm_memory_used_bytes").contains("vertx_http_server");
    // the event bus's series are one per address (a board's live events have one per board): not kept
    assertThat(response.body()).doesNotContain("vertx_eventbus");
  }

  /** Accepts any certificate: used only to prove the server refuses the protocol, never to send data. */
  static final class TrustEverythingForHandshakeOnly implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }
}
