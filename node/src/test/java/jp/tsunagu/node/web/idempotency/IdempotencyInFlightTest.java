package jp.tsunagu.node.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import jp.tsunagu.node.web.Answers;
import jp.tsunagu.node.web.RouteSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} around a create that is still running or whose write fails, on a real node
 * with probe routes that create rows in a table of their own: a retry during the first attempt is
 * 409 and creates nothing, a write that fails takes its key with it, and anonymous callers are told
 * apart by their CSRF cookie.
 */
class IdempotencyInFlightTest {

  @TempDir
  static Path dir;
  static TsunaguNode node;
  static ProbeRoutes probe;
  static TestHttp http;

  /** Creates a row of {@code probe_items} per request, optionally held until the test lets it go. */
  static final class ProbeRoutes implements RouteSet {
    final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
    final AtomicBoolean failNextWrite = new AtomicBoolean();
    private final IdempotencyKeys keys;
    private final Database database;

    ProbeRoutes(IdempotencyKeys keys, Database database) {
      this.keys = keys;
      this.database = database;
    }

    @Override
    public void mountApi(Router api) {
      keys.guard(api.post("/probe/items")).handler(this::create);
      keys.guard(api.post("/probe/held-items")).handler(this::hold);
    }

    private void hold(RoutingContext ctx) {
      Context request = Vertx.currentContext();
      held.add(() -> request.runOnContext(ignored -> create(ctx)));
    }

    private void create(RoutingContext ctx) {
      String body = ctx.body().asString();
      database.write(c -> {
        if (failNextWrite.getAndSet(false)) {
          throw new SQLException("a forced write failure");
        }
        try (PreparedStatement s = c.prepareStatement("insert into probe_items (body) values (?)")) {
          s.setString(1, body);
          s.executeUpdate();
        }
        return new JsonObject().put("id", UUID.randomUUID().toString()).put("body", body);
      }).onSuccess(json -> Answers.created(ctx, json)).onFailure(ctx::fail);
    }
  }

  @BeforeAll
  static void start() {
    node = TsunaguNode.start(TestNodes.config(dir, "minamiminowa"), services -> {
      probe = new ProbeRoutes(services.idempotency(), services.database());
      return List.of(probe);
    });
    node.services().database().submitWrite(c -> {
      try (Statement s = c.createStatement()) {
        return s.execute("create table probe_items (body text not null)");
      }
    }).join();
    http = new TestHttp(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void a_retry_while_the_first_attempt_runs_is_409_in_progress_and_afterwards_gets_the_first_answer()
      throws Exception {
    String key = UUID.randomUUID().toString();
    String client = UUID.randomUUID().toString();
    CompletableFuture<HttpResponse<String>> first = http.sendAsync(post("/api/v1/probe/held-items", "保留", key, client));
    Runnable release = probe.held.poll(30, TimeUnit.SECONDS);

    HttpResponse<String> duringFirst = http.send(post("/api/v1/probe/held-items", "保留", key, client));
    HttpResponse<String> otherBody = http.send(post("/api/v1/probe/held-items", "別の内容", key, client));
    release.run();
    HttpResponse<String> answered = first.get(30, TimeUnit.SECONDS);
    HttpResponse<String> afterFirst = http.send(post("/api/v1/probe/held-items", "保留", key, client));

    assertThat(release).isNotNull();
    assertThat(duringFirst.statusCode()).isEqualTo(409);
    assertThat(code(duringFirst)).isEqualTo("idempotency.in_progress");
    assertThat(otherBody.statusCode()).isEqualTo(422);
    assertThat(code(otherBody)).isEqualTo("idempotency.key_reused");
    assertThat(answered.statusCode()).isEqualTo(201);
    assertThat(afterFirst.statusCode()).isEqualTo(201);
    assertThat(afterFirst.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(afterFirst.body()).isEqualTo(answered.body());
    assertThat(probe.held).isEmpty();
    assertThat(items("保留")).isEqualTo(1);
  }

  @Test
  void a_create_whose_write_fails_takes_its_key_with_it_so_the_retry_creates_it_once() {
    String key = UUID.randomUUID().toString();
    String client = UUID.randomUUID().toString();
    probe.failNextWrite.set(true);

    HttpResponse<String> failed = http.send(post("/api/v1/probe/items", "書き込み失敗", key, client));
    long keysAfterFailure = TestSql.count(node, "select count(*) from idempotency_keys where request_key = ?", key);
    HttpResponse<String> retry = http.send(post("/api/v1/probe/items", "書き込み失敗", key, client));
    HttpResponse<String> again = http.send(post("/api/v1/probe/items", "書き込み失敗", key, client));

    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(code(failed)).isEqualTo("storage.write_failed");
    assertThat(keysAfterFailure).isZero();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(items("書き込み失敗")).isEqualTo(1);
  }

  @Test
  void anonymous_callers_are_told_apart_by_their_csrf_cookie() {
    String key = UUID.randomUUID().toString();
    String one = UUID.randomUUID().toString();
    String another = UUID.randomUUID().toString();

    HttpResponse<String> first = http.send(post("/api/v1/probe/items", "匿名", key, one));
    HttpResponse<String> otherBrowser = http.send(post("/api/v1/probe/items", "匿名", key, another));
    HttpResponse<String> sameBrowser = http.send(post("/api/v1/probe/items", "匿名", key, one));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(otherBrowser.statusCode()).isEqualTo(201);
    assertThat(otherBrowser.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(sameBrowser.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(sameBrowser.body()).isEqualTo(first.body());
    assertThat(items("匿名")).isEqualTo(2);
  }

  private static HttpRequest post(String path, String body, String key, String csrfCookie) {
    return HttpRequest.newBuilder(node.webUrl().resolve(path)).timeout(java.time.Duration.ofSeconds(30))
        .header("Content-Type", "text/plain; charset=utf-8").header("Idempotency-Key", key)
        .header("Cookie", "__Host-tsunagu-csrf=" + csrfCookie)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("code");
  }

  private static long items(String body) {
    return TestSql.count(node, "select count(*) from probe_items where body = ?", body);
  }
}
