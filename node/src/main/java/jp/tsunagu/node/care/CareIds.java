package jp.tsunagu.node.care;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids for care records: time-ordered (milliseconds first) so new rows land at the end of their
 * indexes, then 64 random bits so they cannot be guessed.
 */
public final class CareIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private CareIds() {}

  public static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(random);
  }
}
