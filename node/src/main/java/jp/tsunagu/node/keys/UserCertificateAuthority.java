package jp.tsunagu.node.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's own certificate authority for its users' device certificates (one PKCS#12 per
 * device). It is never a public CA: the web listener trusts exactly this one for client
 * certificates, so a certificate from another node's CA is worthless here.
 */
public final class UserCertificateAuthority {

  static final String KEY_FILE = "ca-key.pem";
  static final String CERT_FILE = "ca-cert.pem";
  private static final Duration VALIDITY = Duration.ofDays(3653);

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private UserCertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** Loads the CA under {@code dir}, creating it on first start. */
  public static UserCertificateAuthority loadOrCreate(Path dir, String nodeName) {
    try {
      if (Files.exists(dir.resolve(CERT_FILE))) {
        return new UserCertificateAuthority(
            Pem.certificate(Files.readString(dir.resolve(CERT_FILE))),
            Pem.privateKey(Files.readString(dir.resolve(KEY_FILE))));
      }
      return create(dir, nodeName);
    } catch (IOException e) {
      throw new KeyMaterialException("keys.user_ca_unreadable", "cannot read or write the user CA in " + dir, e);
    }
  }

  private static UserCertificateAuthority create(Path dir, String nodeName) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=Tsunagu user CA " + nodeName + ",O=Tsunagu");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      OwnerOnlyFiles.createDirectory(dir);
      OwnerOnlyFiles.writeNew(dir.resolve(KEY_FILE), Pem.encode(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      OwnerOnlyFiles.writeNew(dir.resolve(CERT_FILE), Pem.encode(certificate).getBytes(StandardCharsets.US_ASCII));
      return new UserCertificateAuthority(certificate, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new KeyMaterialException("keys.user_ca_creation_failed", "cannot create the user CA", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  public String certificatePem() {
    return Pem.encode(certificate);
  }

  /** A device certificate just issued: its facts for the database and its PKCS#12 for the user. */
  public record IssuedDevice(X509Certificate certificate, String serialHex, byte[] pkcs12) {}

  /**
   * Issues a device certificate for one user's device: a fresh P-256 key pair, a TLS-client-only
   * certificate signed by this CA, both packed in a PKCS#12 protected by {@code password}
   * (PBES2/AES-256, which browsers, macOS, Windows, Android and iOS import). The private key
   * exists only inside that PKCS#12; the node keeps nothing else of it.
   */
  public IssuedDevice issueDevice(String userId, String nodeName, Instant notBefore, Instant notAfter,
      char[] password) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      BigInteger serial = new BigInteger(128, new SecureRandom());
      X500Name subject = new X500Name("CN=" + userId + ",OU=device,O=Tsunagu " + nodeName);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial,
          Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate device = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("tsunagu-device", pair.getPrivate(), password, new Certificate[] {device, certificate});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return new IssuedDevice(device, serial.toString(16), out.toByteArray());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new KeyMaterialException("keys.device_issue_failed", "cannot issue a device certificate", e);
    }
  }

  /** True when this CA signed the certificate (validity and revocation are checked by the caller). */
  public boolean signed(X509Certificate candidate) {
    try {
      if (!candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
        return false;
      }
      candidate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The web listener's trust for client certificates: only certificates this CA signed pass the
   * handshake, and only this CA is named to browsers as an acceptable issuer. Expiry is left to
   * the login and session checks, which answer with a stable error code instead of a dropped
   * connection.
   */
  public X509TrustManager clientTrust() {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !signed(chain[0])) {
          throw new CertificateException("not a device certificate of this node");
        }
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the user CA does not vouch for servers");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {certificate};
      }
    };
  }
}
