package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jp.tsunagu.node.identity.AccountSeeder;

/**
 * A professional's device against a clustered node from outside its JVMs: the device certificate on
 * every TLS connection, trusting only the node's certificate, a cookie jar, the session's CSRF token.
 * A write is retried with the same Idempotency-Key while the node answers it cannot take it now
 * (503, a refused or cut connection, the first attempt still running), as a client of a node that
 * fails over must do.
 */
final class DeviceClient {

  /** How a keyed write ended: answered (its status and body), or given up ({@code status} -1). */
  record Written(int status, String body, int attempts, long startedNanos, long answeredNanos) {
    boolean created() {
      return status == 201;
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger SERVER_ERRORS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final HttpClient client;
  private final URI base;
  private String csrf = "";

  DeviceClient(URI base, AccountSeeder.Created device, X509Certificate node) {
    this.base = base;
    this.client = HttpClient.newBuilder().sslContext(tls(device, node)).version(HttpClient.Version.HTTP_1_1)
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Logins answered 500 (and tried again) in this JVM so far, for the report of a failover test. */
  static int serverErrors() {
    return SERVER_ERRORS.get();
  }

  /** Logs in with the certificate and password, retrying while the node is unavailable. */
  void login(String loginId, String password) {
    for (int attempt = 0; attempt < 60; attempt++) {
      try {
        csrf = new JsonObject(send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/csrf")).GET()).body())
            .getString("csrfToken");
        HttpResponse<String> login = post("/api/v1/auth/login", new JsonObject().put("loginId", loginId)
            .put("password", password), null);
        if (login.statusCode() == 200) {
          csrf = new JsonObject(login.body()).getString("csrfToken");
          return;
        }
        if (login.statusCode() == 500) {
          SERVER_ERRORS.incrementAndGet();
        } else if (login.statusCode() != 503) {
          throw new AssertionError("login of " + loginId + " refused: " + login.body());
        }
      } catch (IOException | RuntimeException e) {
        // not ready or cut: try again
      }
      pause(500);
    }
    throw new AssertionError("login of " + loginId + " did not succeed");
  }

  /**
   * Sends a create with one Idempotency-Key until it is answered with anything but "not now", or
   * {@code keepTrying} says to stop (then {@code status} -1).
   */
  Written create(String path, JsonObject body, java.util.function.BooleanSupplier keepTrying) {
    String key = UUID.randomUUID().toString();
    long started = System.nanoTime();
    int attempts = 0;
    while (true) {
      attempts++;
      long attemptStarted = System.nanoTime();
      try {
        HttpResponse<String> answer = post(path, body, key);
        if (!retryable(answer)) {
          return new Written(answer.statusCode(), answer.body(), attempts, attemptStarted, System.nanoTime());
        }
      } catch (IOException e) {
        // the instance holding the connection died, or the proxy had none ready: the same key again
      }
      if (!keepTrying.getAsBoolean()) {
        return new Written(-1, "", attempts, started, System.nanoTime());
      }
      pause(200);
    }
  }

  private static boolean retryable(HttpResponse<String> answer) {
    if (answer.statusCode() == 503) {
      return true;
    }
    return answer.statusCode() == 409 && answer.body().contains("idempotency.in_progress");
  }

  HttpResponse<String> get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /**
   * Opens a live stream (server-sent events) on the instance or proxy this client talks to; its lines
   * as they come, until the stream ends or is cut.
   */
  HttpResponse<java.util.stream.Stream<String>> stream(String path) throws IOException {
    try {
      return client.send(HttpRequest.newBuilder(base.resolve(path)).header("X-CSRF-Token", csrf)
          .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofLines());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private HttpResponse<String> post(String path, JsonObject body, String key) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return client.send(request.header("X-CSRF-Token", csrf).header("Accept", "application/json")
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static SSLContext tls(AccountSeeder.Created device, X509Certificate node) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(device.pkcs12()), device.certificatePassword().toCharArray());
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, device.certificatePassword().toCharArray());
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("node", node);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
