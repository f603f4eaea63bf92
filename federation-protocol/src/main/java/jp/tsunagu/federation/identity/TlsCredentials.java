package jp.tsunagu.federation.identity;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.Pem;
import jp.tsunagu.federation.crypto.Sha256;

/**
 * A node's TLS key pair and self-signed certificate. Partners trust it by its pin, never by a CA.
 *
 * @param certificate the self-signed EC P-256 certificate
 * @param privateKey  its private key
 */
public record TlsCredentials(X509Certificate certificate, PrivateKey privateKey) {
    /** How long a generated certificate is valid. */
    public static final Duration VALIDITY = Duration.ofDays(730);

    /**
     * Generates a key pair and a certificate for a node: CN is the node name; the subject
     * alternative names are {@code localhost}, {@code 127.0.0.1} and the endpoint's host; the
     * certificate serves for both TLS server and client authentication, as federation is mutual.
     *
     * @param nodeName the node name
     * @param endpoint the federation endpoint whose host goes into the certificate
     * @param now      the start of validity
     * @return new credentials
     */
    public static TlsCredentials generate(String nodeName, URI endpoint, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, nodeName).build();
            BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames(endpoint)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new TlsCredentials(parseCertificate(holder.getEncoded()), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new ProtocolException("identity.tls_generation_failed", "could not create the TLS certificate", e);
        }
    }

    private static GeneralName[] alternativeNames(URI endpoint) throws UnknownHostException {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        String host = endpoint.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.equals("localhost") && !host.equals("127.0.0.1")) {
            names.add(isIpLiteral(host)
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host));
        }
        return names.toArray(GeneralName[]::new);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /**
     * The pin partners list in agreements: SHA-256 of the certificate's SubjectPublicKeyInfo.
     *
     * @param certificate any certificate
     * @return {@code sha256/} followed by the standard base64 of the digest
     */
    public static String pinOf(X509Certificate certificate) {
        return "sha256/" + Base64.getEncoder().encodeToString(Sha256.digest(certificate.getPublicKey().getEncoded()));
    }

    /** @return this certificate's pin */
    public String pin() {
        return pinOf(certificate);
    }

    /** @return the certificate as PEM */
    public String certificatePem() {
        try {
            return Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new ProtocolException("identity.tls_invalid", "certificate cannot be encoded", e);
        }
    }

    /** @return the private key as PKCS#8 PEM; write it only to owner-only files */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * Reads credentials written by {@link #certificatePem()} and {@link #privateKeyPem()}.
     *
     * @param certificatePem certificate PEM
     * @param privateKeyPem  PKCS#8 private key PEM
     * @return the credentials
     * @throws ProtocolException {@code identity.tls_invalid}
     */
    public static TlsCredentials fromPem(String certificatePem, String privateKeyPem) {
        try {
            X509Certificate certificate = parseCertificate(Pem.decode("CERTIFICATE", certificatePem));
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Pem.decode("PRIVATE KEY", privateKeyPem)));
            return new TlsCredentials(certificate, key);
        } catch (GeneralSecurityException | ProtocolException e) {
            throw new ProtocolException("identity.tls_invalid", "TLS certificate or key cannot be read", e);
        }
    }

    /**
     * @param der DER bytes of an X.509 certificate
     * @return the certificate
     * @throws GeneralSecurityException when not a certificate
     */
    static X509Certificate parseCertificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Override
    public String toString() {
        return "TlsCredentials[" + certificate.getSubjectX500Principal() + ", " + pin() + "]";
    }
}
