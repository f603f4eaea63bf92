package jp.tsunagu.node.meetings;

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
final class MeetingsClient {

  private final HttpClient client;
  private final URI base;
  private final java.security.cert.X509Certificate certificate;
  private String csrf = "";

  MeetingsClient(TsunaguNode node) {
    this.base = node.webUrl();
    this.certificate = node.services().keys().identity().tlsCertificate();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(certificate))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  MeetingsClient login(String loginId, String password) {
    anonymous();
    HttpResponse<String> login = postJson("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
        .put("password", password));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    return this;
  }

  MeetingsClient anonymous() {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET from a client with no session and no cookies (a calendar application). */
  HttpResponse<String> getWithoutSession(String url) {
    try {
      return HttpClient.newBuilder().sslContext(TestHttp.trusting(certificate)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), HttpResponse.BodyHandlers.ofString());
  }

  /** A create with its {@code Idempotency-Key}. */
  HttpResponse<String> postJson(String path, JsonObject body, String key) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body.encode())),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> putJson(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.encode())), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postFile(String path, String fileName, String contentType, byte[] content) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
        .header("X-File-Name", java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return client.send(request.header("X-CSRF-Token", csrf).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(60)).build(), handler);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
