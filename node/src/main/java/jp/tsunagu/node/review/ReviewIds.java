package jp.tsunagu.node.review;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids of the review board's rows: unguessable, so an id tells nothing of what else exists. */
final class ReviewIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ReviewIds() {}

  static String next() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "rv" + HexFormat.of().formatHex(bytes);
  }
}
