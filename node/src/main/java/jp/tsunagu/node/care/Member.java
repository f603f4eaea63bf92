package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.reference.ReferenceData;

/** A person on a board (a patient's care team or a group), with their team role and status. */
public record Member(String boardId, String userId, String name, String profession, String facilityName,
    String teamRole, String status) {

  public boolean active() {
    return "active".equals(status);
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("name", name).put("profession", profession)
        .put("professionName", ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa)
            .orElse(profession))
        .put("facility", facilityName).put("teamRole", teamRole).put("status", status);
  }
}
