package jp.tsunagu.node.identity;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Who is asking: the user of a valid session. Put on the routing context by {@link SessionFilter}. */
public record Principal(User user, Session session) {

  static final String KEY = "tsunagu.principal";
  static final String PROBLEM_KEY = "tsunagu.sessionProblem";

  public static Optional<Principal> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  /** The principal of a route that {@link AccessGuard} already checked. */
  public static Principal required(RoutingContext ctx) {
    return of(ctx).orElseThrow(() -> AccessGuard.unauthenticated(ctx));
  }

  public boolean isAdminOf(String facilityId) {
    return user.role() == Role.FACILITY_ADMIN && user.facilityId().map(facilityId::equals).orElse(false);
  }
}
