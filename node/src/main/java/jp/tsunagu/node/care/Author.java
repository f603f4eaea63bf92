package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The author of a post or comment as its row names them: the users row, and the name, profession
 * and facility shown beside it (for a partner's professional, as the signed event gave them).
 */
record Author(String userId, String name, String professionName, String facility) {

  static Author of(String userId, JsonObject profile) {
    String profession = profile.getString("profession", "");
    return new Author(userId, (profile.getString("familyName", "") + " " + profile.getString("givenName", "")).strip(),
        ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa).orElse(profession),
        profile.getString("facility", ""));
  }

  CareActor asActor() {
    return new CareActor(userId, name, Optional.empty(), "");
  }
}
