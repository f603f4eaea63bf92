package jp.tsunagu.node.vaccination;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids for doses, reactions and plans: time-ordered, then random so they cannot be guessed. */
final class VaccinationIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private VaccinationIds() {}

  static String next() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%012x", System.currentTimeMillis()) + HexFormat.of().formatHex(random);
  }
}
