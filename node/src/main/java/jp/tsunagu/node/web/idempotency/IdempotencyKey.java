package jp.tsunagu.node.web.idempotency;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;

/**
 * The {@code Idempotency-Key} a client sent with a create (draft-ietf-httpapi-idempotency-key-header):
 * 1 to 255 printable ASCII characters, a fresh random value (a UUID) per create and the same on
 * every retry of it. The draft writes it as a structured-field string ({@code "…"}); a bare value
 * is taken as well, as most clients send one.
 */
record IdempotencyKey(String value) {

  static final String HEADER = "Idempotency-Key";
  static final int MOST_CHARACTERS = 255;

  /** The request's key, none without the header, or 400 {@code idempotency.key_invalid}. */
  static Optional<IdempotencyKey> of(HttpServerRequest request) {
    List<String> headers = request.headers().getAll(HEADER);
    if (headers.isEmpty()) {
      return Optional.empty();
    }
    if (headers.size() > 1) {
      throw invalid();
    }
    String value = headers.get(0).strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    if (value.isBlank() || value.length() > MOST_CHARACTERS || !printableAscii(value)) {
      throw invalid();
    }
    return Optional.of(new IdempotencyKey(value));
  }

  private static boolean printableAscii(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  private static CodedException invalid() {
    return CodedException.invalid("idempotency.key_invalid",
        "Idempotency-Key は 1〜255 文字の半角英数字・記号で1つだけ指定してください（例: UUID）。");
  }
}
