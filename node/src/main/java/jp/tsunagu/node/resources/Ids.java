package jp.tsunagu.node.resources;

import java.security.SecureRandom;

/** Short random ids for URLs: lower-case letters and digits, not guessable, not sequential. */
final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private Ids() {}

  static String next() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }

  static boolean wellFormed(String id) {
    return id != null && id.matches("[a-z0-9]{6,40}");
  }
}
