package jp.tsunagu.node.testing;

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

/**
 * A person logged in to a demo node (password-only login from loopback) for tests in any package:
 * TLS trusting only that node, a cookie jar, and the session's CSRF token on every request.
 */
public final class WebSession {

  private final HttpClient client;
  private final URI base;
  private String csrf = "";

  private WebSession(TsunaguNode node) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate()))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Logs in; fails the test when the node refuses. */
  public static WebSession login(TsunaguNode node, String loginId, String password) {
    WebSession session = new WebSession(node);
    session.csrf = new JsonObject(session.get("/api/v1/auth/csrf").body()).getString("csrfToken");
    HttpResponse<String> login = session.post("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
        .put("password", password));
    if (login.statusCode() != 200) {
      throw new AssertionError("login of " + loginId + " failed: " + login.body());
    }
    session.csrf = new JsonObject(login.body()).getString("csrfToken");
    return session;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public HttpResponse<String> post(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.header("X-CSRF-Token", csrf).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
