package jp.tsunagu.node.web.idempotency;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two requests the same request for an {@code Idempotency-Key}: the method, the path
 * with its query, the body's bytes and the one request field the API carries in a header
 * ({@code X-File-Name} of an upload), as a SHA-256 hash.
 */
final class Fingerprint {

  private static final String FILE_NAME = "X-File-Name";

  private Fingerprint() {}

  static String of(RoutingContext ctx) {
    MessageDigest digest = sha256();
    String fileName = ctx.request().getHeader(FILE_NAME);
    String head = ctx.request().method().name() + '\n' + ctx.request().uri() + '\n'
        + (fileName == null ? "" : fileName) + '\n';
    digest.update(head.getBytes(StandardCharsets.UTF_8));
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body != null) {
      digest.update(body.getBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
