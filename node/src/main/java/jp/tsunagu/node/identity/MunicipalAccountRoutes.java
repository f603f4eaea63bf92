package jp.tsunagu.node.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.web.RouteSet;
import jp.tsunagu.node.web.Answers;

/**
 * Municipal staff (行政) manage the accounts of no facility on their screens: they list the 行政,
 * 救急・消防 and node operator accounts and create further 行政 and 救急・消防 accounts (node
 * operator accounts only come from the operator's admin API).
 */
final class MunicipalAccountRoutes implements RouteSet {

  private final IdentityContext identity;
  private final PrivilegedAccounts accounts;

  MunicipalAccountRoutes(IdentityContext identity) {
    this.identity = identity;
    this.accounts = new PrivilegedAccounts(identity);
  }

  @Override
  public void mountApi(Router api) {
    api.route("/municipal/accounts").handler(AccessGuard.roles(Role.MUNICIPAL_STAFF)).handler(AccessGuard::csrf);
    api.get("/municipal/accounts").handler(this::list);
    identity.services().idempotency().guard(api.post("/municipal/accounts")).handler(this::create);
  }

  private void list(RoutingContext ctx) {
    identity.database().read(UserStore::withoutFacility).onSuccess(users -> {
      JsonArray out = new JsonArray();
      users.forEach(u -> out.add(u.toJson()));
      ctx.json(new JsonObject().put("accounts", out).put("mailConfigured", identity.mailer().configured()));
    }).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    Principal staff = Principal.required(ctx);
    PrivilegedAccounts.Request request = accounts.parse(ctx, PrivilegedAccounts.MUNICIPAL_STAFF_CREATE);
    accounts.create(ctx, staff.user().id(), request, identity.webBaseUrl())
        // Its initial credentials, when no mail went, are shown this once: never kept for a retry.
        .onSuccess(outcome -> Answers.createdOnce(ctx, outcome.toJson()))
        .onFailure(ctx::fail);
  }
}
