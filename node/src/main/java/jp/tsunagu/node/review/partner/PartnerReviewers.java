package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;

/**
 * 審査委員 from a partner node (the wide-area union case): a professional of another municipality's node,
 * named by that node's name and her user id there. The secretariat may appoint her only while an active
 * agreement with her node grants {@code certification-review}; the check is made at the appointment, so a
 * refused appointment stores nothing and is audited as refused.
 */
public final class PartnerReviewers {

  /** A partner professional as the secretariat names her. */
  public record Reviewer(String nodeId, String userId, String displayName) {}

  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_NAME = 60;

  private final String nodeName;
  private final Predicate<String> granted;
  private final AuditLog audit;

  /**
   * @param granted whether a node shares an active agreement with the {@code certification-review} scope now
   */
  public PartnerReviewers(String nodeName, Predicate<String> granted, AuditLog audit) {
    this.nodeName = nodeName;
    this.granted = granted;
    this.audit = audit;
  }

  /** Whether the appointment asked for names a professional of another node. */
  public boolean names(JsonObject body) {
    Object node = body.getValue("nodeId");
    return node instanceof String s && !s.isBlank() && !s.strip().equals(nodeName);
  }

  /**
   * The partner professional the body names, once her node is known to grant the scope; otherwise
   * {@code federation.scope_not_granted}, recorded as a refusal by {@code actor}.
   */
  public Future<Reviewer> required(String actor, JsonObject body) {
    String node = text(body, "nodeId");
    String userId = text(body, "userId");
    String name = text(body, "displayName");
    if (!NODE_NAME.matcher(node).matches() || !USER_ID.matcher(userId).matches()) {
      return Future.failedFuture(CodedException.invalid("review.invalid_partner_reviewer",
          "連携先ノードと利用者IDを正しく入力してください。"));
    }
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return Future.failedFuture(CodedException.invalid("review.invalid_partner_reviewer",
          "連携先の審査委員の氏名を入力してください（" + MAX_NAME + "文字まで）。"));
    }
    if (!granted.test(node)) {
      CodedException refused = scopeNotGranted();
      return audit.record(AuditEvent.refused(actor, "review.appointed", "partner_node:" + node,
              new JsonObject().put("reason", refused.code()).put("user", userId)))
          .transform(ignored -> Future.failedFuture(refused));
    }
    return Future.succeededFuture(new Reviewer(node, userId, name));
  }

  /** No active agreement with the partner allows the review board's scope. */
  public static CodedException scopeNotGranted() {
    return CodedException.forbidden("federation.scope_not_granted",
        "この連携先との協定は介護認定審査（" + Scopes.CERTIFICATION_REVIEW + "）を認めていません。");
  }

  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s.strip() : "";
  }
}
