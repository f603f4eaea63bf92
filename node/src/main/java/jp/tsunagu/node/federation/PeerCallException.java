package jp.tsunagu.node.federation;

/**
 * A call to a partner node that did not produce a verified answer, with a stable code:
 * {@code peer.unreachable} (no TCP connection or TLS handshake), {@code peer.refused} (an HTTP
 * error from the peer), {@code peer.wrong_certificate} (the server's pin is not that peer's),
 * {@code peer.answer_invalid} (the signed answer does not verify), {@code peer.timeout} (no answer in
 * time).
 */
public final class PeerCallException extends RuntimeException {

  private final String code;

  PeerCallException(String code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
