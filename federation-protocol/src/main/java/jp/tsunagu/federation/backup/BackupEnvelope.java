package jp.tsunagu.federation.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.Sha256;
import jp.tsunagu.federation.json.Json;

/**
 * The encrypted form of every backup file, in the manner of age: a header line (JSON) naming the
 * recipient, an ephemeral X25519 public key and the random file key wrapped for the recipient
 * (X25519, then HKDF-SHA256, then AES-256-GCM), followed by the payload in 64 KiB chunks, each
 * sealed with AES-256-GCM under the file key. A chunk's nonce is its number (11 bytes) and a flag
 * byte that is 1 on the last chunk only, and every chunk authenticates the header's hash, so a
 * payload cut at a chunk boundary, chunks reordered or swapped between files, or a header edited
 * are all found, each as its own error code. The header's {@code about} fields (node, time, kind)
 * are readable without the key, for listings; they are authenticated, not secret.
 */
public final class BackupEnvelope {
    /** The header's format name. */
    public static final String FORMAT = "tsunagu-backup-envelope/1";
    static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;
    private static final int MAX_HEADER = 16 * 1024;
    private static final byte[] WRAP_INFO = "tsunagu backup file key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRAP_AAD = FORMAT.getBytes(StandardCharsets.US_ASCII);

    private BackupEnvelope() {
    }

    /** What {@link #open} found: the header's about fields and the payload as it decrypts. */
    public record Opened(Map<String, Object> about, InputStream payload) {
    }

    /**
     * Starts an encrypted file on {@code out}: writes the header at once; the payload follows as it
     * is written; closing the returned stream seals the last chunk and closes {@code out}.
     *
     * @param recipient the operator's public key ({@link BackupKey#parseRecipient})
     * @param about     plain fields readable without the key (no patient data)
     */
    public static OutputStream encrypt(OutputStream out, byte[] recipient, Map<String, Object> about) throws IOException {
        SecureRandom random = new SecureRandom();
        BackupKey ephemeral = BackupKey.generate();
        byte[] fileKey = new byte[32];
        random.nextBytes(fileKey);
        byte[] ephemeralPublic = ephemeral.publicKey();
        byte[] wrapped = wrap(ephemeral.agree(recipient), ephemeralPublic, recipient, fileKey, Cipher.ENCRYPT_MODE);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("recipient", BackupKey.recipientText(recipient));
        header.put("ephemeral", b64(ephemeralPublic));
        header.put("wrappedKey", b64(wrapped));
        header.put("about", new LinkedHashMap<>(about));
        byte[] line = (Json.write(header) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        return new SealingStream(out, fileKey, Sha256.digest(line));
    }

    /**
     * Reads the header and returns the payload, decrypting and authenticating it chunk by chunk as it
     * is read. Reading fails with {@link ProtocolException} {@code backup.tampered} (a chunk does not
     * authenticate) or {@code backup.truncated} (the payload ends before its last chunk).
     *
     * @throws ProtocolException {@code backup.not_a_backup}, {@code backup.key_wrong}
     */
    public static Opened open(InputStream in, BackupKey key) throws IOException {
        byte[] line = headerLine(in);
        Map<String, Object> header = header(line);
        String recipient = text(header, "recipient");
        if (!recipient.equals(key.recipient())) {
            throw new ProtocolException("backup.key_wrong", "this backup was encrypted for " + recipient
                    + ", not for the key given (" + key.recipient() + ")");
        }
        byte[] ephemeralPublic = unb64(text(header, "ephemeral"));
        byte[] fileKey;
        try {
            fileKey = wrap(key.agree(ephemeralPublic), ephemeralPublic, key.publicKey(), unb64(text(header, "wrappedKey")),
                    Cipher.DECRYPT_MODE);
        } catch (ProtocolException e) {
            throw new ProtocolException("backup.key_wrong", "the backup's file key does not open with the key given", e);
        }
        return new Opened(about(header), new OpeningStream(in, fileKey, Sha256.digest(line)));
    }

    /**
     * @return the header's about fields, read without the key (for listings)
     * @throws ProtocolException {@code backup.not_a_backup} when the file does not begin with a header
     */
    public static Map<String, Object> about(InputStream in) throws IOException {
        return about(header(headerLine(in)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> about(Map<String, Object> header) {
        return header.get("about") instanceof Map<?, ?> about ? (Map<String, Object>) about : Map.of();
    }

    private static byte[] headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_HEADER) {
                throw new ProtocolException("backup.not_a_backup", "the file does not begin with a backup header");
            }
            line.write(b);
        }
        line.write('\n');
        return line.toByteArray();
    }

    private static Map<String, Object> header(byte[] line) {
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(line, StandardCharsets.UTF_8).strip());
        } catch (ProtocolException e) {
            throw new ProtocolException("backup.not_a_backup", "the file's header is not JSON", e);
        }
        if (!FORMAT.equals(header.get("format"))) {
            throw new ProtocolException("backup.not_a_backup", "the file is not a " + FORMAT + " file");
        }
        return header;
    }

    private static String text(Map<String, Object> header, String field) {
        if (header.get(field) instanceof String value) {
            return value;
        }
        throw new ProtocolException("backup.not_a_backup", "the backup header has no " + field);
    }

    private static byte[] wrap(byte[] shared, byte[] ephemeralPublic, byte[] recipient, byte[] input, int mode) {
        byte[] salt = new byte[ephemeralPublic.length + recipient.length];
        System.arraycopy(ephemeralPublic, 0, salt, 0, ephemeralPublic.length);
        System.arraycopy(recipient, 0, salt, ephemeralPublic.length, recipient.length);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, salt, WRAP_INFO));
        byte[] wrapKey = new byte[32];
        hkdf.generateBytes(wrapKey, 0, wrapKey.length);
        try {
            // The wrapping key is new for every file (a fresh ephemeral key), so a fixed nonce is safe.
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(TAG * 8, new byte[12]));
            cipher.updateAAD(WRAP_AAD);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new ProtocolException("backup.key_wrong", "the file key does not open", e);
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("crypto.unavailable", "AES-256-GCM unavailable: " + e.getMessage(), e);
        }
    }

    static Cipher chunkCipher(int mode, byte[] fileKey, long counter, boolean last, byte[] headerHash) {
        byte[] nonce = ByteBuffer.allocate(12).putLong(3, counter).array();
        nonce[11] = (byte) (last ? 1 : 0);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(fileKey, "AES"), new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(headerHash);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("crypto.unavailable", "AES-256-GCM unavailable: " + e.getMessage(), e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unb64(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("backup.not_a_backup", "the backup header holds a value that is not base64url", e);
        }
    }

    /** Buffers a chunk; a full chunk is sealed only when more follows, so the last one carries the flag. */
    private static final class SealingStream extends OutputStream {
        private final OutputStream out;
        private final byte[] fileKey;
        private final byte[] headerHash;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private long counter;
        private boolean closed;

        SealingStream(OutputStream out, byte[] fileKey, byte[] headerHash) {
            this.out = out;
            this.fileKey = fileKey;
            this.headerHash = headerHash;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int at = offset;
            int left = length;
            while (left > 0) {
                if (filled == CHUNK) {
                    seal(false);
                }
                int n = Math.min(left, CHUNK - filled);
                System.arraycopy(bytes, at, buffer, filled, n);
                filled += n;
                at += n;
                left -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            Cipher cipher = chunkCipher(Cipher.ENCRYPT_MODE, fileKey, counter++, last, headerHash);
            try {
                out.write(cipher.doFinal(buffer, 0, filled));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot seal a backup chunk", e);
            }
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    seal(true);
                } finally {
                    Arrays.fill(buffer, (byte) 0);
                    out.close();
                }
            }
        }
    }

    /** Reads and opens one chunk at a time; a chunk is the last when the input ends right after it. */
    private static final class OpeningStream extends InputStream {
        private final InputStream in;
        private final byte[] fileKey;
        private final byte[] headerHash;
        private final byte[] sealed = new byte[CHUNK + TAG];
        private byte[] plain = new byte[0];
        private int position;
        private long counter;
        private boolean ended;
        private int lookahead = -2; // -2: none read yet

        OpeningStream(InputStream in, byte[] fileKey, byte[] headerHash) {
            this.in = in;
            this.fileKey = fileKey;
            this.headerHash = headerHash;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == plain.length) {
                if (ended) {
                    return -1;
                }
                openNext();
            }
            int n = Math.min(length, plain.length - position);
            System.arraycopy(plain, position, bytes, offset, n);
            position += n;
            return n;
        }

        private void openNext() throws IOException {
            int filled = 0;
            if (lookahead >= 0) {
                sealed[filled++] = (byte) lookahead;
            }
            filled += in.readNBytes(sealed, filled, sealed.length - filled);
            lookahead = filled == sealed.length ? in.read() : -1;
            boolean last = lookahead < 0;
            if (filled < TAG) {
                throw new ProtocolException("backup.truncated", "the backup ends before its last part (" + counter
                        + " parts read): it was cut short while written or copied");
            }
            try {
                plain = chunkCipher(Cipher.DECRYPT_MODE, fileKey, counter, last, headerHash).doFinal(sealed, 0, filled);
            } catch (AEADBadTagException e) {
                throw wrongChunk(filled, last);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot open a backup chunk", e);
            }
            position = 0;
            counter++;
            ended = last;
        }

        /** A chunk that does not open: cut off at a chunk boundary (it opens as a middle chunk) or altered. */
        private ProtocolException wrongChunk(int filled, boolean last) {
            if (last && filled == sealed.length) {
                try {
                    chunkCipher(Cipher.DECRYPT_MODE, fileKey, counter, false, headerHash).doFinal(sealed, 0, filled);
                    return new ProtocolException("backup.truncated", "the backup ends before its last part ("
                            + (counter + 1) + " parts read): it was cut short while written or copied");
                } catch (GeneralSecurityException e) {
                    // not a middle chunk either: altered
                }
            }
            return new ProtocolException("backup.tampered", "part " + (counter + 1)
                    + " of the backup does not authenticate: the file was altered or damaged");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Reads what is left, so a payload's end (and with it the last chunk's flag) is always checked. */
    static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        while (in.read(buffer) >= 0) {
            // only the authentication of every chunk matters here
        }
    }
}
