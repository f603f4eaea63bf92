package jp.tsunagu.node.meetings;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Rooms on a Jitsi Meet server (self-hostable open source; {@code meetings.jitsiBaseUrl}). Whoever
 * knows a room's name can join it, so the name carries 128 random bits: it is never guessed, only
 * handed out to participants.
 */
final class JitsiMeet implements VideoProvider {

  static final String CODE = "jitsi";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI base;

  JitsiMeet(URI base) {
    this.base = base;
  }

  @Override
  public String code() {
    return CODE;
  }

  @Override
  public String link(String pasted) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    return base.toString().replaceAll("/+$", "") + "/tsunagu-" + HexFormat.of().formatHex(random);
  }

  String host() {
    return base.getHost();
  }
}
