package jp.tsunagu.node.family;

import java.time.Instant;

/** What a family member's authenticator app shows, for tests outside this package that log a family in. */
public final class FamilyLogins {

  private FamilyLogins() {}

  /** The code of the TOTP secret {@code steps} time steps from now. */
  public static String code(String secret, int steps) {
    return Totp.code(Totp.decode(secret), Totp.step(Instant.now()) + steps, 6, "HmacSHA1");
  }
}
