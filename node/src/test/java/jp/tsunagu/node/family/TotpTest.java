package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 6238's own test vectors (appendix B, SHA-1, eight digits), and the window on a controlled clock. */
class TotpTest {

  private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void the_codes_match_the_rfc_test_vectors() {
    assertThat(Totp.code(KEY, Totp.step(Instant.ofEpochSecond(59)), 8, "HmacSHA1")).isEqualTo("94287082");
    assertThat(Totp.code(KEY, Totp.step(Instant.ofEpochSecond(1111111109)), 8, "HmacSHA1")).isEqualTo("07081804");
    assertThat(Totp.code(KEY, Totp.step(Instant.ofEpochSecond(1234567890)), 8, "HmacSHA1")).isEqualTo("89005924");
    assertThat(Totp.code(KEY, Totp.step(Instant.ofEpochSecond(20000000000L)), 8, "HmacSHA1")).isEqualTo("65353130");
  }

  @Test
  void a_code_is_accepted_one_step_either_side_of_now_and_not_further() {
    String secret = Totp.base32(KEY);
    assertThat(Totp.decode(secret)).isEqualTo(KEY);
    Instant now = Instant.ofEpochSecond(1234567890);
    String code = Totp.code(KEY, Totp.step(now), 6, "HmacSHA1");
    assertThat(Totp.matchingStep(secret, code, now)).hasValue(Totp.step(now));
    assertThat(Totp.matchingStep(secret, code, now.plusSeconds(30))).hasValue(Totp.step(now));
    assertThat(Totp.matchingStep(secret, code, now.minusSeconds(30))).hasValue(Totp.step(now));
    assertThat(Totp.matchingStep(secret, code, now.plusSeconds(61))).isEmpty();
    assertThat(Totp.matchingStep(secret, "12345", now)).isEmpty();
    assertThat(Totp.matchingStep(secret, null, now)).isEmpty();
  }
}
