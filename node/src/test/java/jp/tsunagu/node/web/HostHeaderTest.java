package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.testing.RawTls;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The web listener answers only for the hosts it is configured to serve, and every link it hands out
 * is built from configuration, never from the {@code Host} a request names (a real node, real TLS).
 */
class HostHeaderTest {

  static final String PUBLIC = "https://tsunagu.ina.example.jp";

  @TempDir
  static Path dir;

  static TsunaguNode node;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() {
    JsonObject json = TestNodes.json("ina");
    json.getJsonObject("web").put("publicUrl", PUBLIC + "/");
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir));
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    node.close();
  }

  private static RawTls.Answer get(String path, String host) throws Exception {
    return RawTls.send(node, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
  }

  private static void assertRefused(RawTls.Answer answer, int status, String code) {
    assertThat(answer.status()).isEqualTo(status);
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("requestId")).isEqualTo(answer.headers().get("x-request-id"));
    assertThat(answer.body()).doesNotContain("evil").doesNotContain("ina.example.jp").doesNotContain("127.0.0.1");
    assertThat(answer.headers()).containsKeys("strict-transport-security", "content-security-policy",
        "x-content-type-options", "x-frame-options", "referrer-policy");
    assertThat(answer.headers().get("cache-control")).isEqualTo("no-store");
  }

  private static long auditRows() {
    return TestSql.count(node, "select count(*) from audit_log");
  }

  @Test
  void a_request_naming_a_host_the_node_does_not_serve_is_refused_with_421_and_changes_nothing() throws Exception {
    long before = auditRows();
    for (String path : List.of("/sitemap.xml", "/robots.txt", "/resources", "/resources/search?q=x", "/",
        "/api/v1/auth/me")) {
      assertRefused(get(path, "evil.example"), 421, "request.host_unknown");
    }
    assertRefused(get("/sitemap.xml", "127.0.0.1:" + (node.webPort() + 1)), 421, "request.host_unknown");
    String login = "{\"loginId\":\"x\",\"password\":\"y\"}";
    assertRefused(RawTls.send(node, "POST /api/v1/auth/login HTTP/1.1\r\nHost: evil.example\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + login.length() + "\r\nConnection: close\r\n\r\n"
        + login.substring(0, login.length() - 2)), 421, "request.host_unknown");
    assertThat(auditRows()).isEqualTo(before);
  }

  @Test
  void the_sitemap_robots_and_portal_links_name_the_configured_address_whatever_host_was_asked() throws Exception {
    for (String host : List.of("localhost:" + node.webPort(), "127.0.0.1:" + node.webPort(), "tsunagu.ina.example.jp",
        "TSUNAGU.ina.example.jp:443")) {
      RawTls.Answer sitemap = get("/sitemap.xml", host);
      assertThat(sitemap.status()).isEqualTo(200);
      assertThat(sitemap.body()).contains("<loc>" + PUBLIC + "/resources</loc>").doesNotContain("localhost")
          .doesNotContain("127.0.0.1");
      RawTls.Answer robots = get("/robots.txt", host);
      assertThat(robots.body()).contains("Sitemap: " + PUBLIC + "/sitemap.xml");
      RawTls.Answer home = get("/resources", host);
      assertThat(home.status()).isEqualTo(200);
      assertThat(home.body()).contains("href=\"" + PUBLIC + "/resources\"").doesNotContain("localhost")
          .doesNotContain("127.0.0.1");
    }
  }

  @Test
  void a_request_without_a_host_or_with_an_invalid_one_gets_400_with_the_security_headers_and_no_error_log()
      throws Exception {
    logs.list.clear();
    long before = auditRows();
    assertRefused(RawTls.send(node, "GET /resources HTTP/1.1\r\nConnection: close\r\n"), 400, "request.malformed");
    assertRefused(RawTls.send(node, "GET /resources HTTP/1.1\r\nHost: \r\nConnection: close\r\n"), 400,
        "request.malformed");
    assertRefused(get("/resources", "exa mple/.."), 400, "request.malformed");
    assertRefused(get("/resources", "127.0.0.1:notaport"), 400, "request.malformed");
    assertRefused(RawTls.send(node, "GET /resources HTTP/1.1\r\nHost: 127.0.0.1:" + node.webPort()
        + "\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n"), 431, "request.headers_too_large");
    assertRefused(RawTls.send(node, "GARBAGE\r\n"), 400, "request.malformed");
    assertThat(auditRows()).isEqualTo(before);
    assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
  }

  private record H2Answer(io.vertx.core.http.HttpVersion version, int status, String policy, String body) {}

  @Test
  void over_http2_a_foreign_authority_is_refused_as_over_http1() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
          .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true)
          .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertValue(io.vertx.core.buffer.Buffer.buffer(
              node.services().keys().identity().tlsCertificatePem()))));
      java.util.function.Function<String, H2Answer> get = host -> client.request(
              new io.vertx.core.http.RequestOptions().setHost("127.0.0.1").setPort(node.webPort())
                  .setURI("/sitemap.xml"))
          .compose(request -> request.authority(io.vertx.core.net.HostAndPort.create(host, 443)).send())
          .compose(response -> response.body().map(body -> new H2Answer(response.version(), response.statusCode(),
              response.getHeader("Content-Security-Policy"), body.toString())))
          .await();
      H2Answer foreign = get.apply("evil.example");
      assertThat(foreign.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2);
      assertThat(foreign.status()).isEqualTo(421);
      assertThat(foreign.policy()).isNotNull();
      assertThat(foreign.body()).contains("request.host_unknown").doesNotContain("evil");
      H2Answer served = get.apply("tsunagu.ina.example.jp");
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.body()).contains(PUBLIC + "/resources");
    } finally {
      vertx.close().await();
    }
  }
}
