package jp.tsunagu.node.audit;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * One thing that happened: who ({@code actor}, a user id or {@code anonymous}), what
 * ({@code action}, dotted, e.g. {@code login.failed}), to what ({@code target}), how it ended and
 * a few facts. Detail keys that could carry a secret are refused at construction, so a password,
 * token or private key can never reach the log by a slip in a caller.
 */
public record AuditEvent(String actor, String action, String target, String outcome, JsonObject detail) {

  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "token", "secret", "private",
      "pkcs12", "cookie", "session", "retrieval");

  public AuditEvent {
    detail = detail == null ? new JsonObject() : detail.copy();
    for (String key : detail.fieldNames()) {
      String lower = key.toLowerCase(Locale.ROOT);
      if (SECRET_WORDS.stream().anyMatch(lower::contains)) {
        throw new IllegalArgumentException("audit detail key '" + key + "' may hold a secret");
      }
    }
  }

  public static AuditEvent success(String actor, String action, String target, JsonObject detail) {
    return new AuditEvent(actor, action, target, "success", detail);
  }

  public static AuditEvent refused(String actor, String action, String target, JsonObject detail) {
    return new AuditEvent(actor, action, target, "refused", detail);
  }
}
