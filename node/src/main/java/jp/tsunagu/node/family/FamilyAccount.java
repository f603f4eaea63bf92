package jp.tsunagu.node.family;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** A family member's (or the patient's own) account for one patient's notebook on this node. */
record FamilyAccount(String id, String patientId, String loginId, String email, String displayName,
    String relation, String consentBy, String consentAt, String invitedBy, String invitedAt, String status,
    Optional<String> passwordHash, Optional<String> totpSecret, long totpLastStep, int failedLogins,
    Optional<String> lockedUntil, Optional<String> lastLoginAt) {

  /** What the team sees of the account: never its secrets. */
  JsonObject forTeam() {
    return new JsonObject().put("id", id).put("loginId", loginId).put("email", email).put("name", displayName)
        .put("relation", relation).put("consentBy", consentBy).put("consentAt", consentAt)
        .put("invitedAt", invitedAt).put("status", status).put("lastLoginAt", lastLoginAt.orElse(null));
  }
}
