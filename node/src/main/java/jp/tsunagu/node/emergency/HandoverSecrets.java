package jp.tsunagu.node.emergency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The two secrets of a handover: the link's random token (256 bits, unguessable) and the short
 * code the crew reads out over the phone (6 digits; guessing it is stopped by locking the link
 * after a few wrong codes). Only hashes are stored.
 */
final class HandoverSecrets {

  private final SecureRandom random = new SecureRandom();

  String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  String code() {
    return String.format("%06d", random.nextInt(1_000_000));
  }

  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw jp.tsunagu.node.errors.CodedException.internal("handover.hash_unavailable", "SHA-256 がありません。");
    }
  }

  /** The code's hash is bound to its link, so one code's hash says nothing of another link's. */
  static String codeHash(String token, String code) {
    return hash(token + ":" + code);
  }

  /** Compared in constant time, so the answer's timing says nothing of how much of the code was right. */
  static boolean codeMatches(String storedHash, String token, String code) {
    return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
        codeHash(token, code).getBytes(StandardCharsets.US_ASCII));
  }
}
