package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;

/**
 * Credentials that could not be mailed, returned once in the answer to the request that created
 * them so the person on the screen can hand them over (手渡し). The node keeps only hashes and
 * encrypted copies, so nothing can show them again; showing them is audited as
 * {@code user.credentials_shown} with the reason.
 */
final class HandOver {

  private HandOver() {}

  /** The login part: the login id and a new password. */
  static JsonObject password(String loginId, String password, String baseUrl) {
    return new JsonObject().put("loginId", loginId).put("initialPassword", password).put("loginUrl", baseUrl + "/#/login");
  }

  /** The certificate part: its retrieval number, its password and where to retrieve it. */
  static JsonObject certificate(CertificateIssuer.Issued issued, String baseUrl) {
    return new JsonObject().put("retrievalNumber", MailTemplates.grouped(issued.retrievalNumber()))
        .put("certificatePassword", issued.password()).put("certificateUrl", baseUrl + "/#/certificate");
  }

  /** Audits that {@code credentials} of {@code userId} are shown to {@code actor}; passes them on. */
  static Future<Optional<JsonObject>> shown(IdentityContext identity, String actor, String userId,
      JsonObject credentials, String reason) {
    return identity.audit().record(AuditEvent.success(actor, "user.credentials_shown", "user:" + userId,
        new JsonObject().put("reason", reason).put("shown", new io.vertx.core.json.JsonArray(
            credentials.fieldNames().stream().sorted().toList())))).map(v -> Optional.of(credentials));
  }
}
