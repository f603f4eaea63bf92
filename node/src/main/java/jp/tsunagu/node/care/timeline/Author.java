package jp.tsunagu.node.care.timeline;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.care.CareActor;

/**
 * The author of a post or comment as its row names them: the users row, and the name, profession
 * and facility shown beside it (for a partner's professional, as the signed event gave them).
 */
public record Author(String userId, String name, String professionName, String facility) {

  public static Author of(String userId, JsonObject profile) {
    String profession = profile.getString("profession", "");
    return new Author(userId, (profile.getString("familyName", "") + " " + profile.getString("givenName", "")).strip(),
        ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa).orElse(profession),
        profile.getString("facility", ""));
  }

  public CareActor asActor() {
    return new CareActor(userId, name, Optional.empty(), "");
  }
}
