package jp.tsunagu.node.disaster;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids for imports, matches and declarations: time-ordered, then random so they cannot be guessed. */
final class DisasterIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DisasterIds() {}

  static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(random);
  }
}
