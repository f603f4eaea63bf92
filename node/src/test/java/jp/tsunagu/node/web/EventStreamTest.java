package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.node.testing.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one set-up of the live screens' streams (安否確認's board, the 見守りセンター's alerts, a timeline): its
 * headers and first comment, a published message passed on as an event, and what it holds released once when
 * the page goes.
 */
class EventStreamTest {

  private static final String ADDRESS = "test.event-stream";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void a_relayed_stream_sends_each_message_as_an_event_and_releases_what_it_holds_once_when_the_page_goes()
      throws Exception {
    AtomicInteger released = new AtomicInteger();
    CountDownLatch ended = new CountDownLatch(1);
    Router router = Router.router(vertx);
    router.get("/live").handler(ctx -> EventStream.relaying(ctx, ADDRESS, "safety", JsonObject::encode)
        .onEnd(() -> {
          released.incrementAndGet();
          ended.countDown();
        }));
    int port = TestPorts.freePort();
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);

    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/live")).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("identity");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo(": connected");
      assertThat(lines.readLine()).isEmpty();
      vertx.eventBus().publish(ADDRESS, new JsonObject().put("district", "美篶"));
      assertThat(lines.readLine()).isEqualTo("event: safety");
      assertThat(lines.readLine()).isEqualTo("data: {\"district\":\"美篶\"}");
    }

    assertThat(ended.await(15, TimeUnit.SECONDS)).as("released when the page went").isTrue();
    Thread.sleep(200); // a second end (the close and the end handler both fire) would come now
    assertThat(released.get()).as("released once").isEqualTo(1);
  }
}
