package jp.tsunagu.federation.crypto;

import java.security.PrivateKey;

import com.nimbusds.jose.jwk.OctetKeyPair;

/**
 * A private Ed25519 signing key of a node. Its {@link #toString()} never shows key material.
 */
public final class SigningKey {
    private final OctetKeyPair privateJwk;
    private final PrivateKey privateKey;
    private final VerificationKey verificationKey;

    private SigningKey(OctetKeyPair privateJwk) {
        this.privateJwk = privateJwk;
        this.privateKey = Ed25519.privateKey(privateJwk);
        this.verificationKey = VerificationKey.fromJwk(privateJwk);
    }

    /** @return a fresh key */
    public static SigningKey generate() {
        return new SigningKey(Ed25519.generate());
    }

    /**
     * @param privateJwk an Ed25519 JWK with its private part
     * @return the key
     * @throws jp.tsunagu.federation.ProtocolException {@code key.invalid}
     */
    public static SigningKey fromPrivateJwk(OctetKeyPair privateJwk) {
        return new SigningKey(privateJwk);
    }

    /** @return the key id (JWK thumbprint) */
    public String keyId() {
        return verificationKey.keyId();
    }

    /** @return the public half */
    public VerificationKey verificationKey() {
        return verificationKey;
    }

    /**
     * @param message bytes to sign
     * @return the Ed25519 signature
     */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    /** @return the private JWK, for writing to the identity directory only */
    public OctetKeyPair privateJwk() {
        return privateJwk;
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId() + "]";
    }
}
