package jp.tsunagu.node.care;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * Who is acting in the care features: the logged-in user as the care screens need them. Resolved
 * from the identity feature's session in one place ({@link #of}).
 */
public record CareActor(String userId, String displayName, Optional<String> facilityId, String profession) {

  /** The actor of a route that {@code AccessGuard.roles(...)} already let through. */
  public static CareActor of(RoutingContext ctx) {
    var user = Principal.required(ctx).user();
    return new CareActor(user.id(), user.displayName(), user.facilityId(), user.profession());
  }

  /** The profession in Japanese (医師, 訪問看護師 …), as shown beside every post. */
  public String professionName() {
    return ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa).orElse(profession);
  }
}
