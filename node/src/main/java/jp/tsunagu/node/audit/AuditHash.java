package jp.tsunagu.node.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The link of the chain: SHA-256 over the previous hash and every field of the row, length-prefixed. */
final class AuditHash {

  static final String GENESIS = "0".repeat(64);

  private AuditHash() {}

  static String of(String prevHash, long seq, String at, String actor, String action, String target,
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
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
