package jp.tsunagu.node.resources;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The guards a feature was given (role and CSRF checks), put in front of one of its routes. */
final class Guards {

  private Guards() {}

  static Route on(Route route, List<Handler<RoutingContext>> guards) {
    guards.forEach(route::handler);
    return route;
  }
}
