package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import jp.tsunagu.node.web.RouteSet;

/**
 * {@code GET /api/v1/auth/demo-accounts}: on a demo node only, the demo logins this node has and
 * their one password, which the login page lists. A {@code serve} node does not mount it (404).
 */
final class DemoAccountRoutes implements RouteSet {

  private final IdentityContext identity;

  DemoAccountRoutes(IdentityContext identity) {
    this.identity = identity;
  }

  @Override
  public void mountApi(Router api) {
    if (identity.services().config().demo()) {
      api.get("/auth/demo-accounts").handler(this::list);
    }
  }

  private void list(RoutingContext ctx) {
    List<DemoAccounts.Login> logins = DemoAccounts.logins(identity.services());
    identity.database().read(c -> {
      JsonArray out = new JsonArray();
      for (DemoAccounts.Login login : logins) {
        if (UserStore.byLoginId(c, login.loginId()).isPresent()) {
          out.add(new JsonObject().put("loginId", login.loginId()).put("who", login.who()));
        }
      }
      return out;
    }).onSuccess(accounts -> ctx.json(new JsonObject().put("accounts", accounts)
        .put("password", accounts.isEmpty() ? null : DemoAccounts.PASSWORD))).onFailure(ctx::fail);
  }
}
