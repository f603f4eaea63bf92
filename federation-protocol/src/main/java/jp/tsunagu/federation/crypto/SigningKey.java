package jp.tsunagu.federation.crypto;

import com.nimbusds.jose.jwk.OctetKeyPair;

/**
 * A private Ed25519 signing key of a node. Its {@link #toString()} never shows key material.
 */
public final class SigningKey {
    private final OctetKeyPair privateJwk;
    private final byte[] secret;
    private final byte[] pub;
    private final VerificationKey verificationKey;

    private SigningKey(OctetKeyPair privateJwk) {
        this.privateJwk = privateJwk;
        // the JDK decoding stays as the check that d is a usable Ed25519 private key
        Ed25519.privateKey(privateJwk);
        this.secret = privateJwk.getD().decode();
        this.verificationKey = VerificationKey.fromJwk(privateJwk);
        this.pub = privateJwk.getX().decode();
        if (!java.util.Arrays.equals(Ed25519.publicOf(secret), pub)) {
            throw new jp.tsunagu.federation.ProtocolException("key.invalid", "JWK " + privateJwk.getKeyID()
                    + ": x is not the public key of d");
        }
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
        return Ed25519.sign(secret, pub, message);
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
