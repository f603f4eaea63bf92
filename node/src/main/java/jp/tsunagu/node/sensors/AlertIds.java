package jp.tsunagu.node.sensors;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids for households, alerts and scans: time-ordered, then random so they cannot be guessed. */
final class AlertIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private AlertIds() {}

  static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(random);
  }
}
