package jp.tsunagu.node.federation;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import jp.tsunagu.federation.identity.NodeIdentity;

/**
 * Trusts a TLS peer by the SHA-256 pin of its certificate's public key alone, asked afresh at every
 * handshake, never by a certificate authority: the pins come from active agreements, and the set
 * changes while the listener runs. Extending {@link X509ExtendedTrustManager} keeps the JDK from
 * wrapping it with CA-style checks (host names, chains) that make no sense for pinned self-signed
 * certificates. A refused handshake ends with a TLS alert before any HTTP is spoken.
 */
final class PinTrustManager extends X509ExtendedTrustManager {

  private final Predicate<String> pinAccepted;
  private final Runnable onRefusal;

  PinTrustManager(Predicate<String> pinAccepted, Runnable onRefusal) {
    this.pinAccepted = pinAccepted;
    this.onRefusal = onRefusal;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      onRefusal.run();
      throw new CertificateException("the peer presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String pin = NodeIdentity.pinOf(leaf);
    if (!pinAccepted.test(pin)) {
      onRefusal.run();
      throw new CertificateException("certificate " + pin + " is not pinned by an active agreement");
    }
    try {
      leaf.checkValidity();
    } catch (CertificateException e) {
      onRefusal.run();
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
