package jp.tsunagu.node.identity;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.RouteSet;

/**
 * The account part of the admin API ({@code /admin/v1}, loopback only), for {@code tsunagu-admin
 * account create}: {@code POST /accounts} creates a municipal staff (行政), emergency responder or
 * node operator account with its first device certificate. This is how a node gets its first 行政
 * account; from then on municipal staff create further ones on their screens. Audited with the
 * actor {@code operator}.
 */
public final class AccountAdminRoutes implements RouteSet {

  static final String OPERATOR = "operator";

  private final IdentityContext identity;
  private final PrivilegedAccounts accounts;

  AccountAdminRoutes(IdentityContext identity) {
    this.identity = identity;
    this.accounts = new PrivilegedAccounts(identity);
  }

  /** The routes for the node's admin listener. */

  @Override
  public void mountApi(Router api) {
    api.post("/accounts").handler(this::create);
  }

  private void create(RoutingContext ctx) {
    PrivilegedAccounts.Request request = accounts.parse(ctx, PrivilegedAccounts.OPERATOR_CREATES);
    accounts.create(ctx, OPERATOR, request, identity.webBaseUrl())
        .onSuccess(outcome -> ctx.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json; charset=utf-8").end(outcome.toJson().encode()))
        .onFailure(ctx::fail);
  }
}
