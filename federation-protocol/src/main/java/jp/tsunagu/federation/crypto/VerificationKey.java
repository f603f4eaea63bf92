package jp.tsunagu.federation.crypto;

import java.security.PublicKey;
import java.util.Map;

import com.nimbusds.jose.jwk.OctetKeyPair;

import jp.tsunagu.federation.ProtocolException;

/**
 * A node's public signing key, as partners hold it in their trust store.
 *
 * @param keyId     the key id, the RFC 7638 thumbprint of the public JWK
 * @param publicJwk the public JWK (no private part)
 * @param publicKey the same key for the JDK
 */
public record VerificationKey(String keyId, OctetKeyPair publicJwk, PublicKey publicKey) {

    /** Drops any private part the JWK might carry. */
    public VerificationKey {
        publicJwk = publicJwk.toPublicJWK();
    }

    /**
     * Reads a public JWK and checks that its {@code kid} is its thumbprint, so that a key id
     * always names exactly one key.
     *
     * @param jwk JWK members
     * @return the key
     * @throws ProtocolException {@code key.invalid}
     */
    public static VerificationKey fromJwk(Map<String, Object> jwk) {
        OctetKeyPair okp;
        try {
            okp = OctetKeyPair.parse(jwk);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new ProtocolException("key.invalid", "not an Ed25519 OKP JWK: " + e.getMessage(), e);
        }
        return fromJwk(okp);
    }

    /**
     * @param okp an Ed25519 JWK, private part ignored
     * @return the key
     * @throws ProtocolException {@code key.invalid} when the kid is not the JWK thumbprint
     */
    public static VerificationKey fromJwk(OctetKeyPair okp) {
        PublicKey key = Ed25519.publicKey(okp);
        if (!Ed25519.validPublicKey(okp.getX().decode())) {
            throw new ProtocolException("key.invalid", "JWK member 'x' is not a point of Ed25519");
        }
        String thumbprint = thumbprint(okp);
        if (okp.getKeyID() != null && !okp.getKeyID().equals(thumbprint)) {
            throw new ProtocolException("key.invalid", "JWK kid '" + okp.getKeyID() + "' is not its thumbprint");
        }
        return new VerificationKey(thumbprint,
                new OctetKeyPair.Builder(okp.toPublicJWK()).keyID(thumbprint).build(), key);
    }

    /**
     * @param message   signed bytes
     * @param signature signature bytes
     * @return whether this key made that signature
     */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(keyId, publicJwk.getX().decode(), message, signature);
    }

    /** @return the public JWK as JSON members */
    public Map<String, Object> toJson() {
        return publicJwk.toJSONObject();
    }

    /** @return {@code SHA256:} and the key id, for people comparing keys over the phone */
    public String fingerprint() {
        return "SHA256:" + keyId;
    }

    static String thumbprint(OctetKeyPair okp) {
        try {
            return okp.computeThumbprint().toString();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new ProtocolException("key.invalid", "cannot compute JWK thumbprint", e);
        }
    }
}
