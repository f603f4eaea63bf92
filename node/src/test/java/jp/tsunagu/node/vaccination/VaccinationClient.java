package jp.tsunagu.node.vaccination;

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

/** A person on a test node (password-only login from loopback): a cookie jar and the CSRF token. */
final class VaccinationClient {

  private final HttpClient client;
  private final URI base;
  private String csrf = "";
  String userId = "";

  VaccinationClient(TsunaguNode node) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate()))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  VaccinationClient login(String loginId, String password) {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    HttpResponse<String> login = postJson("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
        .put("password", password));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    userId = new JsonObject(get("/api/v1/auth/me").body()).getJsonObject("user").getString("id");
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
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

  /** An upload as the timeline's file input sends it; returns the attachment's id. */
  String upload(String fileName, byte[] content) {
    HttpResponse<String> uploaded = send(HttpRequest.newBuilder(base.resolve("/api/v1/uploads"))
        .header("Content-Type", "image/png").header("X-File-Name", java.net.URLEncoder.encode(fileName,
            java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofString());
    if (uploaded.statusCode() != 201) {
      throw new AssertionError("upload failed: " + uploaded.body());
    }
    return new JsonObject(uploaded.body()).getString("id");
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
