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
 * Ed25519 (RFC 8032) through the JDK's own provider, bridged to Nimbus's {@link OctetKeyPair} JWKs.
 *
 * <p>Nimbus signs Ed25519 only through Google Tink, which this project does not ship; the JDK has
 * had Ed25519 since Java 15, so keys are converted here between the JWK's raw 32-byte form and the
 * JDK's DER encodings, whose prefixes are fixed for this curve (RFC 8410).
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
     * Signs with a private key.
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
     * Verifies a signature; any malformed signature is simply not valid.
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
