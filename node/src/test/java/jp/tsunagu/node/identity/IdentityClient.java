package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestHttp;

/**
 * A real browser stand-in for the identity tests: JDK HttpClient over TLS 1.3 trusting only the
 * node's certificate, a cookie jar, the CSRF token, and optionally a device certificate from a
 * PKCS#12 presented on every connection.
 */
final class IdentityClient {

  private final HttpClient client;
  private final URI base;
  private final CookieManager cookies = new CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL);
  private String csrf;

  IdentityClient(TsunaguNode node) {
    this(node, null, null);
  }

  IdentityClient(TsunaguNode node, byte[] pkcs12, String password) {
    this.base = node.webUrl();
    this.client = HttpClient.newBuilder()
        .sslContext(ssl(node.services().keys().identity().tlsCertificate(), pkcs12, password))
        .cookieHandler(cookies)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Trusts the node's certificate; presents the PKCS#12's certificate whatever issuers the server names. */
  static SSLContext ssl(X509Certificate trusted, byte[] pkcs12, String password) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      KeyManager[] keyManagers = null;
      if (pkcs12 != null) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(pkcs12), password.toCharArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password.toCharArray());
        keyManagers = new KeyManager[] {new Always((X509KeyManager) factory.getKeyManagers()[0],
            store.aliases().nextElement())};
      }
      SSLContext trust = TestHttp.trusting(trusted);
      context.init(keyManagers, trustManagers(trusted), null);
      return pkcs12 == null ? trust : context;
    } catch (Exception e) {
      throw new AssertionError("cannot build the client TLS context", e);
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate trusted) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("node", trusted);
    javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  String csrf() {
    if (csrf == null) {
      csrf = new JsonObject(get("/api/v1/auth/csrf").body()).getString("csrfToken");
    }
    return csrf;
  }

  void setCsrf(String token) {
    this.csrf = token;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET().build());
  }

  HttpResponse<String> post(String path, JsonObject body) {
    return postRaw(path, body.encode(), csrf());
  }

  HttpResponse<String> postRaw(String path, String body, String csrfToken) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (csrfToken != null) {
      builder.header("X-CSRF-Token", csrfToken);
    }
    return send(builder.build());
  }

  /** A POST with the CSRF token and further headers given as name, value, name, value … */
  HttpResponse<String> postWithHeaders(String path, JsonObject body, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("Accept", "application/json").header("X-CSRF-Token", csrf())
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return send(builder.build());
  }

  HttpResponse<byte[]> postForBytes(String path, JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .header("X-CSRF-Token", csrf()).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Logs in; on success keeps the session's CSRF token. */
  HttpResponse<String> login(String loginId, String password) {
    HttpResponse<String> response = post("/api/v1/auth/login",
        new JsonObject().put("loginId", loginId).put("password", password));
    if (response.statusCode() == 200) {
      csrf = new JsonObject(response.body()).getString("csrfToken");
    }
    return response;
  }

  String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  void setCookie(String name, String value) {
    cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).toList()
        .forEach(c -> cookies.getCookieStore().remove(null, c));
    HttpCookie cookie = new HttpCookie(name, value);
    cookie.setPath("/");
    cookie.setSecure(true);
    cookie.setVersion(0);
    cookies.getCookieStore().add(base, cookie);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TlsRefused(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The connection was refused at the TLS layer (or dropped). */
  static final class TlsRefused extends AssertionError {
    TlsRefused(IOException cause) {
      super("request failed: " + cause, cause);
    }
  }

  /** Presents one alias regardless of the issuers the server asks for (to test foreign certificates). */
  private static final class Always extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;
    private final String alias;

    Always(X509KeyManager delegate, String alias) {
      this.delegate = delegate;
      this.alias = alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {alias};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return alias;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }
}
