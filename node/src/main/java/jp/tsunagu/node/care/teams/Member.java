package jp.tsunagu.node.care.teams;

import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * A person on a board (a patient's care team or a group), with their team role and status, and where
 * they work: the facility (a partner's professional's as her own node described it), the facility's
 * municipality code for this node's own people, the home node for a partner's professional.
 */
public record Member(String boardId, String userId, String name, String profession, String facilityName,
    String teamRole, String status, String municipalityCode, String homeNode) {

  /** Someone listed without a team (a search result, a reader). */
  public static Member person(String userId, String name, String profession, String facilityName, String municipalityCode,
      String homeNode) {
    return new Member("", userId, name, profession, facilityName, "", "", municipalityCode, homeNode);
  }

  public boolean active() {
    return "active".equals(status);
  }

  /** Whether this is a partner node's professional (a shadow row here). */
  public boolean partner() {
    return homeNode != null;
  }

  public JsonObject toJson() {
    return toJson(Places.LOCAL_ONLY);
  }

  /** As the screens show a person: name, profession, facility and municipality, and a partner's node. */
  public JsonObject toJson(Places places) {
    JsonObject json = new JsonObject().put("userId", userId).put("name", name).put("profession", profession)
        .put("professionName", ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa)
            .orElse(profession))
        .put("facility", facilityName).put("municipality", places.of(municipalityCode, homeNode))
        .put("partner", partner()).put("teamRole", teamRole).put("status", status);
    return partner() ? json.put("homeNode", homeNode) : json;
  }
}
