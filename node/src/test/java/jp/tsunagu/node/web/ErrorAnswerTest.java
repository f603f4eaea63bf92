package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.errors.CodedException.Kind;
import jp.tsunagu.node.storage.StorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one table from a kind of failure to an HTTP status, and what a client receives when domain
 * code fails with a coded exception: {@code {code, message, requestId}} with the kind's status, over
 * a real Vert.x router and HTTP server on loopback.
 */
class ErrorAnswerTest {

  static Vertx vertx;
  static HttpServer server;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    router.get("/kind/:kind").handler(ctx -> ctx.fail(new CodedException(Kind.valueOf(ctx.pathParam("kind")),
        "test.refused", "お断りします。")));
    router.get("/thrown").handler(ctx -> {
      throw CodedException.conflict("care.archived", "アーカイブ済みのため変更できません。");
    });
    router.get("/details").handler(ctx -> ctx.fail(new CodedException(Kind.REJECTED, "care.csv_rejected",
        "1 行に問題があります。", new JsonObject().put("rows", new JsonArray().add(new JsonObject().put("row", 2)))
            .put("code", "details.may_not_replace_the_code"))));
    router.get("/storage").handler(ctx -> ctx.fail(new StorageException("storage.read_failed",
        "the read failed at /srv/tsunagu/node.db", new SQLException("disk I/O error"))));
    router.get("/sent-then-closed").handler(ctx -> {
      // as a file sent whole whose completion reports the client's connection closed meanwhile
      ctx.response().end("sent");
      ctx.fail(new java.nio.channels.ClosedChannelException());
    });
    ErrorHandler.install(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject errorBody(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("application/json"));
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getString("requestId")).isEqualTo(response.headers().firstValue(RequestIds.HEADER).orElseThrow());
    return body;
  }

  @Test
  void a_response_sent_whole_whose_connection_the_client_closed_logs_no_error() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ErrorHandler.class);
    lines.start();
    log.addAppender(lines);
    try {
      HttpResponse<String> response = get("/sent-then-closed");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("sent");
      assertThat(get("/kind/UNAVAILABLE").statusCode()).as("a failure of the node after it").isEqualTo(503);
    } finally {
      log.detachAppender(lines);
    }
    assertThat(lines.list).filteredOn(line -> line.getLevel() == ch.qos.logback.classic.Level.ERROR)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains("/sent-then-closed")).anyMatch(line -> line.contains("/kind/UNAVAILABLE"));
  }

  @Test
  void every_kind_has_a_status_of_its_own_a_refusal_4xx_and_a_failure_of_the_node_5xx() {
    Set<Integer> statuses = new HashSet<>();
    for (Kind kind : Kind.values()) {
      int status = ErrorStatus.of(kind);
      assertThat(statuses.add(status)).as("%s shares its status %d", kind, status).isTrue();
      assertThat(status / 100).as("%s is answered %d", kind, status).isEqualTo(kind.isRefusal() ? 4 : 5);
    }
  }

  @Test
  void the_table_keeps_the_statuses_clients_already_match_on() {
    Map<Kind, Integer> table = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      table.put(kind, ErrorStatus.of(kind));
    }
    assertThat(table).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry(Kind.INVALID, 400),
        Map.entry(Kind.UNAUTHENTICATED, 401), Map.entry(Kind.FORBIDDEN, 403), Map.entry(Kind.NOT_FOUND, 404),
        Map.entry(Kind.CONFLICT, 409), Map.entry(Kind.UNSUPPORTED, 415), Map.entry(Kind.REJECTED, 422),
        Map.entry(Kind.RATE_LIMITED, 429), Map.entry(Kind.GONE, 410), Map.entry(Kind.INTERNAL, 500),
        Map.entry(Kind.UPSTREAM_FAILED, 502),
        Map.entry(Kind.UNAVAILABLE, 503)));
  }

  @Test
  void a_coded_failure_of_every_kind_reaches_the_client_as_code_message_and_request_id_with_its_status()
      throws Exception {
    for (Kind kind : Kind.values()) {
      HttpResponse<String> response = get("/kind/" + kind.name());
      JsonObject body = errorBody(response, ErrorStatus.of(kind), "test.refused");
      assertThat(body.fieldNames()).as(kind.name()).containsExactlyInAnyOrder("code", "message", "requestId");
      assertThat(body.getString("message")).isEqualTo("お断りします。");
    }
  }

  @Test
  void a_coded_exception_thrown_by_a_handler_is_answered_the_same_way() throws Exception {
    JsonObject body = errorBody(get("/thrown"), 409, "care.archived");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(body.getString("message")).isEqualTo("アーカイブ済みのため変更できません。");
  }

  @Test
  void details_are_shown_beside_code_message_and_request_id_and_never_replace_them() throws Exception {
    JsonObject body = errorBody(get("/details"), 422, "care.csv_rejected");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId", "rows");
    assertThat(body.getJsonArray("rows").getJsonObject(0).getInteger("row")).isEqualTo(2);
  }

  @Test
  void a_database_failure_is_503_with_its_code_and_a_message_for_people_never_its_own_text() throws Exception {
    HttpResponse<String> response = get("/storage");
    JsonObject body = errorBody(response, 503, "storage.read_failed");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
    assertThat(body.getString("message")).startsWith("データベースが一時的に利用できません。");
    assertThat(response.body()).doesNotContain("/srv/").doesNotContain("disk I/O").doesNotContain("Exception");
  }
}
