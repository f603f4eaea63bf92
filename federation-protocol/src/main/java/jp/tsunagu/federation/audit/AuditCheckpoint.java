package jp.tsunagu.federation.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.federation.jws.JwsPolicy;
import jp.tsunagu.federation.jws.JwsSignature;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.jws.TrustedKey;

/**
 * The head of a node's audit chain as the node last saw it, signed with its Ed25519 signing key
 * ({@code typ: tsunagu-audit-checkpoint+jws}, compact JWS) and kept as a file beside the database.
 * The hash chain alone shows a modified, inserted or deleted row, but not rows cut off at the end:
 * the shorter chain is still a valid chain. The checkpoint names the last row the node committed,
 * so the verifier can tell that rows after the end of the table are missing, or that the table
 * was rewritten from some row on.
 *
 * @param node the node that signed
 * @param seq  the sequence number of the last row covered
 * @param hash that row's hash
 * @param at   when the node wrote the checkpoint
 */
public record AuditCheckpoint(String node, long seq, String hash, Instant at) {
    /** {@code typ} of a signed checkpoint. */
    public static final String TYP = "tsunagu-audit-checkpoint+jws";
    /** The payload's {@code format}. */
    public static final String FORMAT = "tsunagu-audit-checkpoint/1";
    /** The file in the node's data directory that holds the current checkpoint. */
    public static final String FILE = "audit-checkpoint.jws";
    /** Prefix of the files a node keeps when it found its log no longer matching a checkpoint. */
    public static final String CONFLICT_PREFIX = "audit-checkpoint-conflict-";
    private static final JwsPolicy POLICY = new JwsPolicy(TYP, "audit");

    /**
     * @param identity the node's identity, whose current signing key signs
     * @return the compact JWS to store
     */
    public String sign(NodeIdentity identity) {
        String payloadB64 = Base64Url.encode(CanonicalJson.bytes(toJson()));
        JwsSignature signature = JwsSignature.sign(identity.signingKey(), TYP, Map.of(), payloadB64);
        return signature.protectedHeader() + "." + payloadB64 + "." + signature.signature();
    }

    /**
     * Verifies a stored checkpoint against the node's own keys (current and retired).
     *
     * @param compact the file's content
     * @param trust   a trust store holding the node's card
     * @return the checkpoint
     * @throws ProtocolException {@code audit.malformed}, {@code audit.kid_unknown},
     *                           {@code audit.signature_invalid}, {@code audit.node_mismatch} and the
     *                           other {@code audit.*} header codes of {@link JwsPolicy}
     */
    public static AuditCheckpoint verify(String compact, TrustStore trust) {
        String[] parts = compact == null ? new String[0] : compact.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw new ProtocolException("audit.malformed", "a compact JWS has three parts");
        }
        TrustedKey signer = POLICY.resolve(POLICY.check(parts[0]), trust);
        new JwsSignature(parts[0], parts[2]).verify(signer.key(), parts[1], "audit.signature_invalid");
        String body = new String(Base64Url.decode(parts[1], "audit.malformed"), StandardCharsets.UTF_8);
        JsonFields fields = JsonFields.of(Json.parse(body), "audit.malformed", "checkpoint");
        if (!FORMAT.equals(fields.optionalString("format"))) {
            throw new ProtocolException("audit.malformed", "not a " + FORMAT + " checkpoint");
        }
        AuditCheckpoint checkpoint;
        try {
            checkpoint = new AuditCheckpoint(fields.string("node"), fields.integer("seq"), fields.string("hash"),
                    Instant.parse(fields.string("at")));
        } catch (DateTimeParseException e) {
            throw new ProtocolException("audit.malformed", "at is not an ISO-8601 instant", e);
        }
        if (!checkpoint.node().equals(signer.node())) {
            throw new ProtocolException("audit.node_mismatch", "checkpoint of " + checkpoint.node() + " signed by " + signer.node());
        }
        return checkpoint;
    }

    /** @return the JSON members of the payload */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("node", node);
        json.put("seq", seq);
        json.put("hash", hash);
        json.put("at", at.toString());
        return json;
    }

    /**
     * Replaces {@code file} with {@code compact} so that a reader sees the old or the new content,
     * never a part: a temporary file, forced to disk, then renamed over it.
     *
     * @param file    the checkpoint file
     * @param compact the signed checkpoint
     * @throws ProtocolException {@code audit.checkpoint_unwritable}
     */
    public static void write(Path file, String compact) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((compact + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        } catch (IOException e) {
            throw new ProtocolException("audit.checkpoint_unwritable", "cannot write " + temporary + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ProtocolException("audit.checkpoint_unwritable", "cannot replace " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a checkpoint file
     * @return its content, or empty when there is no such file
     * @throws ProtocolException {@code audit.unreadable}
     */
    public static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (java.nio.charset.CharacterCodingException e) {
            // a checkpoint is ASCII (a compact JWS): anything else was damaged or written by something else
            throw new ProtocolException("audit.checkpoint_corrupt", file + " is corrupt: it is not the text of a"
                + " signed checkpoint", e);
        } catch (IOException e) {
            throw new ProtocolException("audit.unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
