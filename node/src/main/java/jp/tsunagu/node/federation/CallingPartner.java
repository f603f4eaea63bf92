package jp.tsunagu.node.federation;

import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.federation.identity.NodeCard;

/**
 * The partner a request on the federation listener comes from, as the listener admitted it by the
 * pin of its certificate (checked again at every request). What every feature's federation routes
 * ask first.
 */
public final class CallingPartner {

  /** Where the listener keeps the admitted partner on the request. */
  static final String KEY = "federation.peer";

  private CallingPartner() {}

  /** The admitted partner's card (its name, keys, endpoint). */
  public static NodeCard of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  static void admit(RoutingContext ctx, NodeCard partner) {
    ctx.put(KEY, partner);
  }
}
