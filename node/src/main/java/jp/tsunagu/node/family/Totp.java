package jp.tsunagu.node.family;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238, computed by java-otp): HMAC-SHA1, 30-second steps, six
 * digits, as every authenticator app on a family's phone expects. A code of the step before or after
 * now is accepted too (a phone's clock is rarely exact); the caller refuses a step it has already
 * accepted, so a code read over a shoulder cannot be used again within the window.
 */
final class Totp {

  static final long STEP_SECONDS = 30;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {}

  /** A new shared secret: 20 random bytes (the size of SHA-1's output, as RFC 4226 recommends), in Base32. */
  static String newSecret() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return base32(bytes);
  }

  /** The secret as an authenticator app scans it. */
  static String uri(String secret, String account) {
    String label = java.net.URLEncoder.encode("ここのーと:" + account, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
    return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=%E3%81%93%E3%81%93%E3%81%AE%E3%83%BC%E3%81%A8"
        + "&algorithm=SHA1&digits=6&period=" + STEP_SECONDS;
  }

  static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** The step (now, or one either side) whose code this is; empty when it matches none. */
  static OptionalLong matchingStep(String secret, String code, Instant now) {
    if (code == null || !code.matches("\\d{6}")) {
      return OptionalLong.empty();
    }
    long current = step(now);
    for (long candidate = current - 1; candidate <= current + 1; candidate++) {
      if (java.security.MessageDigest.isEqual(code(decode(secret), candidate, 6, "HmacSHA1").getBytes(),
          code.getBytes())) {
        return OptionalLong.of(candidate);
      }
    }
    return OptionalLong.empty();
  }

  /** The code of one time step, as the authenticator app computes it. */
  static String code(byte[] key, long step, int digits, String algorithm) {
    try {
      TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(
          java.time.Duration.ofSeconds(STEP_SECONDS), digits, algorithm);
      return totp.generateOneTimePasswordString(new SecretKeySpec(key, algorithm),
          Instant.ofEpochSecond(step * STEP_SECONDS));
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalStateException("a raw HMAC key is always valid", e);
    }
  }

  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  static byte[] decode(String base32) {
    ByteBuffer out = ByteBuffer.allocate(base32.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (char c : base32.toCharArray()) {
      buffer = (buffer << 5) | BASE32.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return java.util.Arrays.copyOf(out.array(), out.position());
  }
}
