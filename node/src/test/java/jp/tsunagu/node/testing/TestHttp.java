package jp.tsunagu.node.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jp.tsunagu.node.TsunaguNode;

/**
 * An HTTPS client for tests that trusts exactly the node's own certificate (real TLS, real
 * hostname check against the certificate's 127.0.0.1 SAN), nothing else.
 */
public final class TestHttp {

  private final HttpClient client;
  private final URI base;

  public TestHttp(TsunaguNode node) {
    this(node.webUrl(), node.services().keys().identity().tlsCertificate());
  }

  public TestHttp(URI base, X509Certificate trusted) {
    this.base = base;
    this.client = HttpClient.newBuilder()
        .sslContext(trusting(trusted))
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public static SSLContext trusting(X509Certificate certificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("node", certificate);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new AssertionError("cannot build a trust store for the node certificate", e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
  }

  public HttpResponse<String> post(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Sends without waiting for the answer (a request the test holds in the node while it sends others). */
  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
