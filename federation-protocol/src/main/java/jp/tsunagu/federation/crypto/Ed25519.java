package jp.tsunagu.federation.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import jp.tsunagu.federation.ProtocolException;

/**
 * Ed25519 (RFC 8032) for Nimbus's {@link OctetKeyPair} JWKs: signing and verification through Bouncy
 * Castle's {@code rfc8032} implementation, several times faster than the JDK's provider on the same
 * machine (see the protocol benchmark, which measures both).
 *
 * <p>Ed25519 is deterministic, so both implementations make the very same signature bytes and each
 * verifies the other's (tested); the JDK form of a key ({@link #publicKey}, {@link #privateKey}) stays
 * for code that hands keys to the JDK. Nimbus signs Ed25519 only through Google Tink, which this project
 * does not ship, so keys are converted here between the JWK's raw 32-byte form and the DER encodings,
 * whose prefixes are fixed for this curve (RFC 8410).
 *
 * <p>A public key is decoded to a curve point once per key id and kept: decoding costs a field
 * inversion and a square root, a sizeable part of one verification.
 */
public final class Ed25519 {
    /** JWS algorithm name (RFC 9864 fully specified). */
    public static final String JWS_ALGORITHM = "Ed25519";

    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final int KEY_LENGTH = 32;

    private Ed25519() {
    }

    /**
     * Generates a key pair.
     *
     * @return a private JWK (with {@code d}) whose key id is its RFC 7638 thumbprint
     */
    public static OctetKeyPair generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] x = tail(pair.getPublic().getEncoded(), SPKI_PREFIX.length);
            byte[] d = tail(pair.getPrivate().getEncoded(), PKCS8_PREFIX.length);
            OctetKeyPair unnamed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).build();
            return new OctetKeyPair.Builder(unnamed).keyIDFromThumbprint().build();
        } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
            throw new ProtocolException("crypto.unavailable", "Ed25519 key generation failed", e);
        }
    }

    /**
     * @param jwk an Ed25519 OKP JWK
     * @return the JDK public key
     * @throws ProtocolException {@code key.invalid} when not an Ed25519 key
     */
    public static PublicKey publicKey(OctetKeyPair jwk) {
        requireEd25519(jwk);
        try {
            byte[] der = concat(SPKI_PREFIX, rawKey(jwk.getX(), "x"));
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("key.invalid", "not a usable Ed25519 public key", e);
        }
    }

    /**
     * @param jwk an Ed25519 OKP JWK holding the private part {@code d}
     * @return the JDK private key
     * @throws ProtocolException {@code key.invalid} when not an Ed25519 private key
     */
    public static PrivateKey privateKey(OctetKeyPair jwk) {
        requireEd25519(jwk);
        if (jwk.getD() == null) {
            throw new ProtocolException("key.invalid", "JWK " + jwk.getKeyID() + " has no private part");
        }
        try {
            byte[] der = concat(PKCS8_PREFIX, rawKey(jwk.getD(), "d"));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("key.invalid", "not a usable Ed25519 private key", e);
        }
    }

    /**
     * Signs with raw key bytes (Bouncy Castle).
     *
     * @param secret  the 32-byte private key {@code d}
     * @param pub     the 32-byte public key {@code x} of the same pair (saves deriving it per signature)
     * @param message the bytes to sign
     * @return the 64-byte signature
     */
    public static byte[] sign(byte[] secret, byte[] pub, byte[] message) {
        byte[] signature = new byte[org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(secret, 0, pub, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * @param secret the 32-byte private key {@code d}
     * @return its 32-byte public key {@code x}
     */
    public static byte[] publicOf(byte[] secret) {
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(secret, 0, pub, 0);
        return pub;
    }

    /**
     * Verifies a signature with raw key bytes (Bouncy Castle); the decoded point of each key id is
     * cached. Any malformed signature or key is simply not valid.
     *
     * @param keyId     the key id the raw key is known by (its thumbprint)
     * @param pub       the 32-byte public key {@code x}
     * @param message   the signed bytes
     * @param signature the signature
     * @return whether the signature is valid
     */
    public static boolean verify(String keyId, byte[] pub, byte[] message, byte[] signature) {
        if (signature == null || signature.length != 2 * KEY_LENGTH) {
            return false;
        }
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = PublicPoints.of(keyId, pub);
        return point != null
                && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
    }

    /**
     * Decodes a raw public key, as a verifier would.
     *
     * @param pub the 32-byte public key {@code x}
     * @return whether it is a point of the curve in canonical encoding
     */
    public static boolean validPublicKey(byte[] pub) {
        return pub != null && pub.length == KEY_LENGTH
                && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(pub, 0);
    }

    /**
     * Signs with a JDK private key (the JDK's provider), for interoperability checks and the benchmark.
     *
     * @param key     an Ed25519 private key
     * @param message the bytes to sign
     * @return the 64-byte signature
     */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("crypto.sign_failed", "Ed25519 signing failed", e);
        }
    }

    /**
     * Verifies a signature with a JDK public key (the JDK's provider); any malformed signature is simply
     * not valid. For interoperability checks and the benchmark.
     *
     * @param key       an Ed25519 public key
     * @param message   the signed bytes
     * @param signature the signature
     * @return whether the signature is valid
     */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return signature.length == 2 * KEY_LENGTH && verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("crypto.unavailable", "Ed25519 verification unavailable", e);
        }
    }

    private static void requireEd25519(OctetKeyPair jwk) {
        if (jwk == null || !Curve.Ed25519.equals(jwk.getCurve())) {
            throw new ProtocolException("key.invalid", "expected an Ed25519 OKP JWK");
        }
    }

    private static byte[] rawKey(Base64URL encoded, String member) {
        byte[] raw = encoded == null ? new byte[0] : encoded.decode();
        if (raw.length != KEY_LENGTH) {
            throw new ProtocolException("key.invalid", "Ed25519 JWK member '" + member + "' must be 32 bytes");
        }
        return raw;
    }

    private static byte[] tail(byte[] der, int prefixLength) {
        return Arrays.copyOfRange(der, prefixLength, der.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
