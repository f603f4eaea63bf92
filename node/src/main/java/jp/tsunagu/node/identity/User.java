package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** A person who can log in. {@code passwordHash} never leaves the identity package's stores. */
public record User(String id, Optional<String> facilityId, String loginId, String email, String familyName,
    String givenName, String familyKana, String givenKana, String profession, Role role, String passwordHash,
    boolean active) {

  /** The same person with a password hash (drafts from a form have none yet). */
  User withPasswordHash(String hash) {
    return new User(id, facilityId, loginId, email, familyName, givenName, familyKana, givenKana, profession, role,
        hash, active);
  }

  public String displayName() {
    return familyName + " " + givenName;
  }

  /** What the user's own screens and their administrators see. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("facilityId", facilityId.orElse(null)).put("loginId", loginId)
        .put("email", email).put("familyName", familyName).put("givenName", givenName)
        .put("familyKana", familyKana).put("givenKana", givenKana).put("profession", profession)
        .put("role", role.code()).put("roleLabel", role.labelJa()).put("active", active);
  }
}
