package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;

/** One logged-in person talking to the node's API over real TLS, with cookies and the CSRF token. */
public final class CareClient {

  /** A response: status and body, with the body as JSON when it is JSON. */
  public record Reply(int status, String body) {
    public JsonObject json() {
      return body.isEmpty() ? new JsonObject() : new JsonObject(body);
    }

    public String code() {
      return json().getString("code");
    }
  }

  public final String userId;
  private final URI base;
  private final HttpClient client;
  private String csrf = "";

  public CareClient(TsunaguNode node, String userId) {
    this(node.webUrl(), node.services().keys().identity().tlsCertificate(), userId);
  }

  /** For a node running in another process: its web address and the certificate it serves. */
  public CareClient(URI base, java.security.cert.X509Certificate certificate, String userId) {
    this.userId = userId;
    this.base = base;
    this.client = HttpClient.newBuilder().sslContext(TestHttp.trusting(certificate))
        .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  public void login(String loginId, String password) {
    csrf = get("/api/v1/auth/csrf").json().getString("csrfToken");
    Reply reply = post("/api/v1/auth/login", new JsonObject().put("loginId", loginId).put("password", password));
    if (reply.status() != 200) {
      throw new AssertionError("login failed: " + reply);
    }
    csrf = reply.json().getString("csrfToken");
  }

  /** Sends this CSRF token from now on (a login that hands out a token of its own, as the family's does). */
  public void useCsrf(String token) {
    csrf = token;
  }

  /** Nobody logged in, with the CSRF token any visitor's page holds (for the routes open to anyone). */
  public CareClient anonymous() {
    csrf = get("/api/v1/auth/csrf").json().getString("csrfToken");
    return this;
  }

  public Reply get(String path) {
    return send(request(path).GET());
  }

  /** A GET answered in full: status, headers (the request's id among them) and body. */
  public HttpResponse<String> getResponse(String path) {
    try {
      return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Reply post(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Reply put(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** A state-changing request without the CSRF token, as a page on another site would send it. */
  public Reply putWithoutCsrf(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Reply delete(String path) {
    return send(request(path).DELETE());
  }

  public Reply postBytes(String path, byte[] body, String contentType) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Reply upload(byte[] content, String fileName, String contentType) {
    return send(request("/api/v1/uploads").header("Content-Type", contentType)
        .header("X-File-Name", URLEncoder.encode(fileName, StandardCharsets.UTF_8))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
  }

  /**
   * A POST with headers of its own (e.g. {@code Idempotency-Key}), answered in full: status, headers
   * and body.
   */
  public HttpResponse<String> postWith(String path, byte[] body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public HttpResponse<byte[]> download(String path) {
    try {
      return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Opens a stream (SSE) and hands back the raw response to read lines from. */
  public HttpResponse<java.util.stream.Stream<String>> stream(String path) {
    return stream(path, null);
  }

  /** Opens a stream (SSE) again from {@code lastEventId} (sent as an EventSource does; null: none). */
  public HttpResponse<java.util.stream.Stream<String>> stream(String path, String lastEventId) {
    try {
      HttpRequest.Builder request = request(path).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).header("X-CSRF-Token", csrf).timeout(Duration.ofSeconds(30));
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
