package jp.tsunagu.node.resources;

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
 * A logged-in person on a demo node (password-only login from loopback): TLS trusting only the
 * node, a cookie jar, and the session's CSRF token on every state-changing request.
 */
final class SessionClient {

  private final HttpClient client;
  private final URI base;
  private String csrf = "";

  SessionClient(TsunaguNode node) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate()))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  SessionClient login(String loginId, String password) {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    HttpResponse<String> login = send("POST", "/api/v1/auth/login", "application/json",
        HttpRequest.BodyPublishers.ofString(new JsonObject().put("loginId", loginId).put("password", password)
            .encode()));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    return this;
  }

  /** A family account's login (ここのーと): login id, password and a TOTP code; the session's own CSRF token. */
  SessionClient family(String loginId, String password, String code) {
    anonymous();
    HttpResponse<String> login = send("POST", "/api/v1/family/auth/login", "application/json",
        HttpRequest.BodyPublishers.ofString(new JsonObject().put("loginId", loginId).put("password", password)
            .put("code", code).encode()));
    if (login.statusCode() != 200) {
      throw new AssertionError("family login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    return this;
  }

  /** Without logging in: only the CSRF token a page would carry (registration, login, certificate download). */
  SessionClient anonymous() {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    return this;
  }

  /** A request whose body is sent byte for byte as given, declared as JSON (for bodies no JsonObject can encode). */
  HttpResponse<String> sendJsonBytes(String method, String path, byte[] body) {
    return send(method, path, "application/json", HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** An upload as the care screens send it: the raw bytes, the name percent-encoded in X-File-Name as given. */
  HttpResponse<String> sendWithFileName(String path, String contentType, String encodedName, byte[] body) {
    try {
      return client.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .header("X-CSRF-Token", csrf).header("Content-Type", contentType).header("X-File-Name", encodedName).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null, HttpRequest.BodyPublishers.noBody());
  }

  HttpResponse<byte[]> getBytes(String path) {
    try {
      return client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return send("POST", path, "application/json", HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  HttpResponse<String> putJson(String path, JsonObject body) {
    return send("PUT", path, "application/json", HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  HttpResponse<String> postBytes(String path, String contentType, byte[] body) {
    return send("POST", path, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(String method, String path, String contentType,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, body)
        .header("X-CSRF-Token", csrf).header("Accept", "application/json");
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
