package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.testing.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest's steps give way to people's requests: on a real HTTP listener with the filter, a step asked
 * for while a person's request is held starts when that request ends (woken by its end: every waiting
 * step, once the last request in flight ends), or after the longest wait while it is still held; a longest
 * wait of 0 turns the waiting off; gateways' batches and live streams are not people's requests in flight.
 */
class PeopleFirstTest {

  private Vertx vertx;
  private SimpleMeterRegistry metrics;
  private Promise<Void> release;
  private int port;
  private final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void listen() throws Exception {
    vertx = Vertx.vertx();
    metrics = new SimpleMeterRegistry();
    release = Promise.promise();
    port = TestPorts.freePort();
  }

  @AfterEach
  void close() throws Exception {
    release.tryComplete();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A listener whose every request is answered once {@link #release} completes. */
  private void serve(PeopleFirst people) throws Exception {
    Router router = Router.router(vertx);
    router.route().order(-2).handler(people::track);
    router.route().handler(ctx -> {
      received.incrementAndGet();
      release.future().onComplete(done -> ctx.response().end("done"));
    });
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> send(String path, String accept) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitInFlight(PeopleFirst people, int count) throws InterruptedException {
    for (int i = 0; i < 3_000 && people.inFlight() != count; i++) {
      Thread.sleep(10);
    }
    assertThat(people.inFlight()).isEqualTo(count);
  }

  @Test
  void a_step_waits_for_the_persons_request_in_flight_and_starts_when_it_ends() throws Exception {
    PeopleFirst people = new PeopleFirst(metrics, 600_000);
    serve(people);
    assertThat(people.turn(vertx).isComplete()).as("nobody in flight: at once").isTrue();

    CompletableFuture<HttpResponse<String>> nurse = send("/api/v1/patients/p1/posts", "application/json");
    awaitInFlight(people, 1);
    Future<Void> step = people.turn(vertx);
    Thread.sleep(50);
    assertThat(step.isComplete()).as("the person's request still in flight").isFalse();

    release.complete();
    assertThat(nurse.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
    step.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    awaitInFlight(people, 0);
    assertThat(metrics.counter("tsunagu.sensors.ingest.waited").count()).isEqualTo(1);
    assertThat(metrics.counter("tsunagu.sensors.ingest.waitedLongest").count()).isZero();
  }

  @Test
  void a_step_waits_no_longer_than_the_longest_wait() throws Exception {
    PeopleFirst people = new PeopleFirst(metrics, 20);
    serve(people);
    send("/api/v1/patients/p1/posts", "application/json");
    awaitInFlight(people, 1);

    people.turn(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(people.inFlight()).as("started while the request is still held").isEqualTo(1);
    assertThat(metrics.counter("tsunagu.sensors.ingest.waitedLongest").count()).isEqualTo(1);
    assertThat(people.waiting()).as("the step that gave up is no longer queued").isZero();
  }

  @Test
  void every_waiting_step_is_woken_when_the_last_persons_request_ends_not_the_first() throws Exception {
    PeopleFirst people = new PeopleFirst(metrics, 600_000);
    Promise<Void> first = Promise.promise();
    Router router = Router.router(vertx);
    router.route().order(-2).handler(people::track);
    router.route("/first").handler(ctx -> first.future().onComplete(done -> ctx.response().end("first")));
    router.route().handler(ctx -> release.future().onComplete(done -> ctx.response().end("done")));
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    CompletableFuture<HttpResponse<String>> one = send("/first", "application/json");
    CompletableFuture<HttpResponse<String>> two = send("/api/v1/patients/p1/posts", "application/json");
    awaitInFlight(people, 2);
    Future<Void> stepA = people.turn(vertx);
    Future<Void> stepB = people.turn(vertx);
    assertThat(people.waiting()).isEqualTo(2);

    first.complete();
    assertThat(one.get(30, TimeUnit.SECONDS).body()).isEqualTo("first");
    awaitInFlight(people, 1);
    Thread.sleep(50);
    assertThat(stepA.isComplete() || stepB.isComplete()).as("one request still in flight").isFalse();

    release.complete();
    two.get(30, TimeUnit.SECONDS);
    stepA.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    stepB.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(people.waiting()).as("nobody left waiting").isZero();
    assertThat(metrics.counter("tsunagu.sensors.ingest.waitedLongest").count()).isZero();
  }

  @Test
  void a_longest_wait_of_zero_turns_the_waiting_off() throws Exception {
    PeopleFirst people = new PeopleFirst(metrics, 0);
    serve(people);
    send("/api/v1/patients/p1/posts", "application/json");
    awaitInFlight(people, 1);

    assertThat(people.turn(vertx).isComplete()).as("at once, a person's request in flight").isTrue();
    assertThat(people.waiting()).isZero();
    assertThat(metrics.counter("tsunagu.sensors.ingest.waited").count()).isZero();
  }

  @Test
  void gateways_batches_and_live_streams_are_not_waited_for() throws Exception {
    PeopleFirst people = new PeopleFirst(metrics, 600_000);
    serve(people);
    send(GatewayBatch.PATH, "application/json");
    send("/api/v1/sensors/alerts/live", "text/event-stream");
    CompletableFuture<HttpResponse<String>> nurse = send("/api/v1/sensors/alerts", "application/json");
    for (int i = 0; i < 3_000 && received.get() < 3; i++) {
      Thread.sleep(10);
    }
    assertThat(received.get()).isEqualTo(3);
    assertThat(people.inFlight()).as("the person's request only").isEqualTo(1);

    release.complete();
    nurse.get(30, TimeUnit.SECONDS);
    awaitInFlight(people, 0);
    assertThat(people.turn(vertx).isComplete()).isTrue();
  }
}
