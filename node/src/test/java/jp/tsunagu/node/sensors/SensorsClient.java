package jp.tsunagu.node.sensors;

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
 * A person on a test node (password-only login from loopback, or nobody), or a gateway: TLS trusting
 * only the node, a cookie jar, and the CSRF token on every state-changing request of a person.
 */
final class SensorsClient {

  private final HttpClient client;
  private final URI base;
  private String csrf = "";

  SensorsClient(TsunaguNode node) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate()))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  SensorsClient login(String loginId, String password) {
    anonymous();
    HttpResponse<String> login = postJson("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
        .put("password", password));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    csrf = new JsonObject(login.body()).getString("csrfToken");
    return this;
  }

  SensorsClient anonymous() {
    csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("X-CSRF-Token", csrf).GET());
  }

  HttpResponse<String> postJson(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** A gateway's delivery: the bytes as they are, the signature header when not null; no cookie, no CSRF. */
  HttpResponse<String> postBatch(byte[] body, String signature) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/gateway/batches"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (signature != null) {
      request.header("Tsunagu-Signature", signature);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.header("Accept", "application/json").timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
