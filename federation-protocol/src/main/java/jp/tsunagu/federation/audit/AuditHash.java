package jp.tsunagu.federation.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jp.tsunagu.federation.ProtocolException;

/**
 * The link of a node's audit chain: SHA-256 over the previous row's hash and every field of the
 * row, each length-prefixed. Shared by the node, which writes the chain, and by the tools that
 * verify it ({@code tsunagu-node audit verify}, {@code tsunagu-admin audit verify}).
 */
public final class AuditHash {

    /** The "previous hash" of the first row. */
    public static final String GENESIS = "0".repeat(64);

    private AuditHash() {}

    /**
     * @return the hex SHA-256 link of one row
     */
    public static String of(String prevHash, long seq, String at, String actor, String action, String target,
            String outcome, String detail) {
        MessageDigest digest = sha256();
        for (String field : new String[] {prevHash, Long.toString(seq), at, actor, action, target, outcome, detail}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            // Length prefixes keep ("ab","c") and ("a","bc") from hashing alike.
            digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ProtocolException("audit.sha256_unavailable", "this Java runtime has no SHA-256", e);
        }
    }
}
