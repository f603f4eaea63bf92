package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;

/**
 * A person on a test node (password-only login from loopback, or nobody): TLS trusting only the
 * node, a cookie jar, and the CSRF token on every state-changing request.
 */
final class DisasterClient {

  private final HttpClient client;
  private final URI base;
  private String csrf = "";

  DisasterClient(TsunaguNode node) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate()))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  DisasterClient login(String loginId, String password) {
    anonymous();
    HttpResponse<String> login = postJson("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
        .put("password", password));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    return this;
  }

  /** Nobody logged in, with the CSRF token a page would carry. */
  DisasterClient anonymous() {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The first server-sent event's data line on a stream the caller opens now. */
  java.util.concurrent.CompletableFuture<String> firstEvent(String path) {
    return client.sendAsync(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET()
        .build(), HttpResponse.BodyHandlers.ofLines())
        .thenApply(response -> response.body().filter(line -> line.startsWith("data:")).findFirst().orElse(""));
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST as the web client sends every POST: with a fresh Idempotency-Key. */
  HttpResponse<String> postJsonKeyed(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postCsv(String path, byte[] body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends the request; once more, the same request (the same Idempotency-Key), when the connection was
   * closed under it: a client that sat idle past the node's idle timeout (50 crews logging in one after
   * another on a loaded machine take longer than that) finds its connection closed at its next request,
   * as a phone would, and connects again.
   */
  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    HttpRequest built = request.header("X-CSRF-Token", csrf).header("Accept", "application/json")
        .timeout(Duration.ofSeconds(60)).build();
    try {
      try {
        return client.send(built, handler);
      } catch (IOException closed) {
        return client.send(built, handler);
      }
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
