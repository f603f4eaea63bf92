package jp.tsunagu.node.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.keys.UserCertificateAuthority;

/**
 * Issues device certificates with their one-time retrieval number (取得番号) and PKCS#12 password.
 * CPU work (key generation, PKCS#12 encryption): call from a worker thread.
 */
final class CertificateIssuer {

  static final Duration VALIDITY = Duration.ofDays(730);

  /** What the user receives by mail, and what the database keeps (never the password). */
  record Issued(String serial, String fingerprint, Instant notBefore, Instant notAfter, byte[] pkcs12,
      String retrievalNumber, String password) {}

  private final UserCertificateAuthority ca;
  private final String nodeName;
  private final Clock clock;

  CertificateIssuer(NodeServices services) {
    this.ca = services.keys().userCa();
    this.nodeName = services.config().node().name();
    this.clock = services.clock();
  }

  Issued issue(String userId) {
    Instant now = Instant.now(clock);
    return issue(userId, now.minus(Duration.ofMinutes(5)), now.plus(VALIDITY));
  }

  /** With explicit validity (tests issue expired certificates this way). */
  Issued issue(String userId, Instant notBefore, Instant notAfter) {
    String password = Secrets.readablePassword();
    UserCertificateAuthority.IssuedDevice device = ca.issueDevice(userId, nodeName, notBefore, notAfter,
        password.toCharArray());
    try {
      return new Issued(device.serialHex(), Secrets.sha256(device.certificate().getEncoded()), notBefore, notAfter,
          device.pkcs12(), Secrets.retrievalNumber(), password);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new jp.tsunagu.node.keys.KeyMaterialException("keys.device_issue_failed", "cannot encode", e);
    }
  }
}
