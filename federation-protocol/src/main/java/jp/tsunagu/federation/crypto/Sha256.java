package jp.tsunagu.federation.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jp.tsunagu.federation.ProtocolException;

/** SHA-256 digests as the protocol writes them. */
public final class Sha256 {
    private Sha256() {
    }

    /**
     * @param bytes input
     * @return the 32-byte digest
     */
    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new ProtocolException("crypto.unavailable", "SHA-256 unavailable", e);
        }
    }

    /**
     * @param bytes input
     * @return the digest as lowercase hex, 64 characters
     */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }
}
