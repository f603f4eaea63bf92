package jp.tsunagu.node.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
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
}
