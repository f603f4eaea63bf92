package jp.tsunagu.node.web.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.node.testing.TestPorts;
import jp.tsunagu.node.web.Answers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A keyed create's answer made in its write (to be kept with its key) is the text sent: a route that
 * sends its write's value as written has it encoded once, in the write, not again on the event loop.
 */
class AnswerEncodedOnceTest {

  /** A JSON object that counts how often it is made into text. */
  static final class Counted extends JsonObject {
    final AtomicInteger encodings = new AtomicInteger();

    @Override
    public String encode() {
      encodings.incrementAndGet();
      return super.encode();
    }
  }

  Vertx vertx;
  HttpClientAgent client;
  int port;
  final Counted written = new Counted();
  volatile String kept;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    written.put("id", "p-1").put("body", "本日訪問。");
    Router router = Router.router(vertx);
    router.post("/as-written").handler(ctx -> {
      KeyedRequest keyed = new KeyedRequest(new IdempotencyKeys(null, Clock.systemUTC()), "user:u-1", "key-1", "print");
      keyed.attachTo(ctx);
      Answers.keepWithCreate(ctx);
      // what the create's write does with its value, on the writer: the answer kept with the key row
      StoredKey.Answer answer = keyed.answerToWrite(written);
      kept = answer.body();
      Answers.createdAsWritten(ctx, written);
    });
    port = TestPorts.freePort();
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void the_answer_made_in_the_write_is_sent_without_encoding_it_again() throws Exception {
    String sent = client.request(HttpMethod.POST, port, "127.0.0.1", "/as-written")
        .compose(request -> request.send().compose(response -> response.body()))
        .await(10, TimeUnit.SECONDS).toString();

    assertThat(sent).isEqualTo(kept).isEqualTo(new JsonObject().put("id", "p-1").put("body", "本日訪問。").encode());
    assertThat(written.encodings.get()).isEqualTo(1);
  }
}
