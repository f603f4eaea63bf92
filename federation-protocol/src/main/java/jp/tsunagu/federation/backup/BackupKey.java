package jp.tsunagu.federation.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc7748.X25519;

import jp.tsunagu.federation.ProtocolException;

/**
 * The operator's backup key: an X25519 key pair. A node is given only the public half (its
 * {@linkplain #recipient() recipient}) and encrypts every backup to it, so neither the node's disk
 * nor the backup target ever holds what decrypts a backup; the private half is kept apart by the
 * operator (a USB key in the safe, a password manager) and given to {@code backup verify},
 * {@code restore} and {@code drill}.
 */
public final class BackupKey {
    /** How a private key file begins. */
    public static final String PRIVATE_PREFIX = "TSUNAGU-BACKUP-KEY-1-";
    /** How a recipient (public key) begins. */
    public static final String RECIPIENT_PREFIX = "tsunagu-backup-1-";

    private final byte[] privateKey;
    private final byte[] publicKey;

    private BackupKey(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /** @return a fresh key pair from the platform's strong random source */
    public static BackupKey generate() {
        byte[] key = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(new SecureRandom(), key);
        return new BackupKey(key);
    }

    /**
     * @param text a private key as {@link #privateText()} wrote it (surrounding white space ignored)
     * @throws ProtocolException {@code backup.key_invalid} when it is not one
     */
    public static BackupKey parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith(PRIVATE_PREFIX)) {
            throw new ProtocolException("backup.key_invalid",
                    "not a backup key (a backup key file holds one line beginning " + PRIVATE_PREFIX + ")");
        }
        return new BackupKey(decode(trimmed.substring(PRIVATE_PREFIX.length()), "backup.key_invalid", "backup key"));
    }

    /**
     * @param file a file written by {@code tsunagu-admin backup keygen}
     * @throws ProtocolException {@code backup.key_invalid} when it cannot be read as a backup key
     */
    public static BackupKey read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new ProtocolException("backup.key_invalid", "cannot read the backup key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param recipient a recipient as {@link #recipient()} wrote it
     * @return its 32-byte X25519 public key
     * @throws ProtocolException {@code backup.recipient_invalid} when it is not one
     */
    public static byte[] parseRecipient(String recipient) {
        String trimmed = recipient == null ? "" : recipient.strip();
        if (!trimmed.startsWith(RECIPIENT_PREFIX)) {
            throw new ProtocolException("backup.recipient_invalid",
                    "not a backup recipient (it begins " + RECIPIENT_PREFIX + "; 'tsunagu-admin backup keygen' prints it)");
        }
        return decode(trimmed.substring(RECIPIENT_PREFIX.length()), "backup.recipient_invalid", "backup recipient");
    }

    /** @return the public half as text, for the node's configuration ({@code backup.recipient}) */
    public String recipient() {
        return recipientText(publicKey);
    }

    static String recipientText(byte[] publicKey) {
        return RECIPIENT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey);
    }

    /** @return the private half as the one line of a key file */
    public String privateText() {
        return PRIVATE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(privateKey);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** X25519 with another party's public key; refuses a low-order point (all-zero shared secret). */
    byte[] agree(byte[] otherPublic) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, otherPublic, 0, shared, 0)) {
            throw new ProtocolException("backup.tampered", "the backup's key exchange value is not a usable X25519 point");
        }
        return shared;
    }

    private static byte[] decode(String text, String code, String what) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            if (bytes.length != X25519.SCALAR_SIZE) {
                throw new ProtocolException(code, "a " + what + " holds 32 bytes, this one " + bytes.length);
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(code, "the " + what + " is not base64url text", e);
        }
    }

    @Override
    public String toString() {
        return "BackupKey[" + recipient() + "]"; // never the private half
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupKey key && Arrays.equals(publicKey, key.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }
}
