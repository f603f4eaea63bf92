package jp.tsunagu.node.meetings;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids for meetings and their documents: time-ordered, then random so they cannot be guessed. */
final class MeetingIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private MeetingIds() {}

  static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(random);
  }
}
