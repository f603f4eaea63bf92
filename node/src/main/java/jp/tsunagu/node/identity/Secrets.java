package jp.tsunagu.node.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/** Random ids, tokens and one-time codes, and the SHA-256 under which tokens are stored. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();
  // No 0/O, 1/l/I: people type these from a mail.
  private static final String READABLE = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

  private Secrets() {}

  public static String id() {
    return UUID.randomUUID().toString();
  }

  /** 256 random bits, URL-safe: session ids and CSRF tokens. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A 16-digit certificate retrieval number (取得番号), shown as 4-4-4-4. */
  public static String retrievalNumber() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      out.append(RANDOM.nextInt(10));
    }
    return out.toString();
  }

  /** A password people can type from a mail: 14 characters of an unambiguous alphabet (~80 bits). */
  public static String readablePassword() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      out.append(READABLE.charAt(RANDOM.nextInt(READABLE.length())));
    }
    return out.toString();
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static boolean sameToken(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
