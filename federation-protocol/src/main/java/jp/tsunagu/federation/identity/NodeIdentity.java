package jp.tsunagu.federation.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.OctetKeyPair;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * A node's identity on disk: its profile, its Ed25519 signing keys (the current one and retired
 * ones that still verify what they signed) and its TLS key pair with a self-signed certificate.
 *
 * <p>Layout of the identity directory (0700; every file 0600 where POSIX permissions exist):
 * <pre>
 * node.json                  profile and which signing key is current / retired
 * signing/&lt;kid&gt;.jwk         one private Ed25519 JWK per key, named by its thumbprint
 * tls/certificate.pem        self-signed EC P-256 certificate
 * tls/private-key.pem        its PKCS#8 private key
 * </pre>
 * {@code node.json} is written last, so a directory is an identity only once it is complete.
 */
public final class NodeIdentity {
    /** The identity file format written in member {@code format} of {@code node.json}. */
    public static final String FORMAT = "tsunagu-node-identity/1";
    private static final String NODE_FILE = "node.json";

    private final Path dir;
    private final NodeProfile profile;
    private final SigningKey signingKey;
    private final List<SigningKey> retiredSigningKeys;
    private final TlsCredentials tls;

    private NodeIdentity(Path dir, NodeProfile profile, SigningKey signingKey,
                         List<SigningKey> retiredSigningKeys, TlsCredentials tls) {
        this.dir = dir;
        this.profile = profile;
        this.signingKey = signingKey;
        this.retiredSigningKeys = List.copyOf(retiredSigningKeys);
        this.tls = tls;
    }

    /**
     * Creates a new identity with fresh keys.
     *
     * @param dir     the identity directory, created if missing
     * @param profile who the node is
     * @return the identity
     * @throws ProtocolException {@code identity.exists} when {@code dir} already holds an identity,
     *                           {@code identity.io_error} when files cannot be written
     */
    public static NodeIdentity create(Path dir, NodeProfile profile) {
        if (exists(dir)) {
            throw new ProtocolException("identity.exists", "an identity already exists in " + dir);
        }
        SecureFiles.createDirectories(dir);
        NodeIdentity identity = new NodeIdentity(dir, profile, SigningKey.generate(), List.of(),
                TlsCredentials.generate(profile.name(), profile.federationEndpoint(), Instant.now()));
        SecureFiles.createDirectories(dir.resolve("tls"));
        SecureFiles.write(dir.resolve("tls/certificate.pem"), identity.tls.certificatePem());
        SecureFiles.write(dir.resolve("tls/private-key.pem"), identity.tls.privateKeyPem());
        identity.writeSigningKey(identity.signingKey);
        identity.writeNodeFile();
        return identity;
    }

    /**
     * @param dir a directory
     * @return whether it holds an identity
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(NODE_FILE));
    }

    /**
     * Loads an identity exactly as it was written.
     *
     * @param dir the identity directory
     * @return the identity
     * @throws ProtocolException {@code identity.not_found}, {@code identity.corrupt} or {@code identity.io_error}
     */
    public static NodeIdentity load(Path dir) {
        if (!exists(dir)) {
            throw new ProtocolException("identity.not_found", "no node identity in " + dir);
        }
        try {
            JsonFields node = JsonFields.of(Json.parse(SecureFiles.read(dir.resolve(NODE_FILE))), "identity.corrupt", NODE_FILE);
            if (!FORMAT.equals(node.optionalString("format"))) {
                throw new ProtocolException("identity.corrupt", NODE_FILE + " is not a " + FORMAT + " file");
            }
            JsonFields signing = node.object("signing");
            SigningKey current = readSigningKey(dir, signing.string("current"));
            List<SigningKey> retired = new ArrayList<>();
            for (String kid : signing.strings("retired")) {
                retired.add(readSigningKey(dir, kid));
            }
            TlsCredentials tls = TlsCredentials.fromPem(SecureFiles.read(dir.resolve("tls/certificate.pem")),
                    SecureFiles.read(dir.resolve("tls/private-key.pem")));
            return new NodeIdentity(dir, ProfileJson.read(node), current, retired, tls);
        } catch (ProtocolException e) {
            if (e.code().equals("identity.io_error") || e.code().equals("identity.corrupt")) {
                throw e;
            }
            throw new ProtocolException("identity.corrupt", "identity in " + dir + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the identity in {@code dir}, or creates one with {@code profile} when there is none.
     * An existing identity is returned as it is, even if its profile differs.
     *
     * @param dir     the identity directory
     * @param profile the profile for a new identity
     * @return the identity
     */
    public static NodeIdentity loadOrCreate(Path dir, NodeProfile profile) {
        return exists(dir) ? load(dir) : create(dir, profile);
    }

    /**
     * Replaces the current signing key with a fresh one. The old key becomes retired: it signs no
     * more but is still published so that what it signed keeps verifying.
     *
     * @return the identity with the new key, already written to disk
     */
    public NodeIdentity rotateSigningKey() {
        List<SigningKey> retired = new ArrayList<>(retiredSigningKeys);
        retired.add(signingKey);
        NodeIdentity rotated = new NodeIdentity(dir, profile, SigningKey.generate(), retired, tls);
        rotated.writeSigningKey(rotated.signingKey);
        rotated.writeNodeFile();
        return rotated;
    }

    /** @return the node's profile */
    public NodeProfile profile() {
        return profile;
    }

    /** @return the node name */
    public String name() {
        return profile.name();
    }

    /** @return the directory the identity lives in */
    public Path dir() {
        return dir;
    }

    /** @return the self-signed TLS certificate */
    public X509Certificate tlsCertificate() {
        return tls.certificate();
    }

    /** @return the TLS private key */
    public PrivateKey tlsPrivateKey() {
        return tls.privateKey();
    }

    /** @return the TLS certificate as PEM */
    public String tlsCertificatePem() {
        return tls.certificatePem();
    }

    /** @return the TLS private key as PKCS#8 PEM; never log it */
    public String tlsPrivateKeyPem() {
        return tls.privateKeyPem();
    }

    /** @return {@code sha256/<base64>} of the certificate's SubjectPublicKeyInfo */
    public String tlsPin() {
        return tls.pin();
    }

    /**
     * @param certificate any certificate, such as a peer's from a TLS handshake
     * @return its pin, comparable with the pins in agreements
     */
    public static String pinOf(X509Certificate certificate) {
        return TlsCredentials.pinOf(certificate);
    }

    /** @return the id of the current signing key */
    public String signingKeyId() {
        return signingKey.keyId();
    }

    /** @return the current signing key */
    public SigningKey signingKey() {
        return signingKey;
    }

    /** @return retired signing keys, oldest first */
    public List<SigningKey> retiredSigningKeys() {
        return retiredSigningKeys;
    }

    /**
     * Signs raw bytes with the current key.
     *
     * @param message bytes to sign
     * @return the Ed25519 signature
     */
    public byte[] sign(byte[] message) {
        return signingKey.sign(message);
    }

    /** @return the current public signing key as a JWK */
    public OctetKeyPair signingPublicJwk() {
        return signingKey.verificationKey().publicJwk();
    }

    /** @return the public identity card to give partners */
    public NodeCard card() {
        return new NodeCard(profile, tlsPin(), signingKey.verificationKey(),
                retiredSigningKeys.stream().map(SigningKey::verificationKey).toList());
    }

    private static SigningKey readSigningKey(Path dir, String kid) {
        if (!kid.matches("[A-Za-z0-9_-]{43}")) {
            throw new ProtocolException("identity.corrupt", "bad signing key id in " + NODE_FILE);
        }
        try {
            SigningKey key = SigningKey.fromPrivateJwk(OctetKeyPair.parse(SecureFiles.read(dir.resolve("signing/" + kid + ".jwk"))));
            if (!key.keyId().equals(kid)) {
                throw new ProtocolException("identity.corrupt", "signing key file " + kid + " holds another key");
            }
            return key;
        } catch (java.text.ParseException e) {
            throw new ProtocolException("identity.corrupt", "signing key " + kid + " is not a JWK", e);
        }
    }

    private void writeSigningKey(SigningKey key) {
        SecureFiles.createDirectories(dir.resolve("signing"));
        SecureFiles.write(dir.resolve("signing/" + key.keyId() + ".jwk"), key.privateJwk().toJSONString());
    }

    private void writeNodeFile() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.putAll(ProfileJson.write(profile));
        Map<String, Object> signing = new LinkedHashMap<>();
        signing.put("current", signingKey.keyId());
        signing.put("retired", retiredSigningKeys.stream().map(SigningKey::keyId).toList());
        json.put("signing", signing);
        SecureFiles.write(dir.resolve(NODE_FILE), Json.writePretty(json));
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + profile.name() + ", kid=" + signingKeyId() + ", " + tlsPin() + "]";
    }
}
