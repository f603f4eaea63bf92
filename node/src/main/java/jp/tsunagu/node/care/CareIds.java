package jp.tsunagu.node.care;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids for care records: time-ordered (milliseconds first) so new rows land at the end of their
 * indexes, then 64 random bits so they cannot be guessed.
 */
public final class CareIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private CareIds() {}

  public static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    // the last 12 of the 16 hex digits of the milliseconds (48 bits last until the year 10889);
    // String.format was a measurable part of a post's request
    return HEX.toHexDigits(System.currentTimeMillis()).substring(4) + HEX.formatHex(random);
  }
}
