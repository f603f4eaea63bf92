package jp.tsunagu.node.review.partner;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import jp.tsunagu.node.identity.AccessGuard;
import jp.tsunagu.node.identity.Principal;
import jp.tsunagu.node.web.RouteSet;

/**
 * A professional of this node who sits on a partner's panel: the partner sessions held here for her and
 * their materials, stamped with her name and the time. Only her own copies; any other id is a 404.
 */
public final class PartnerReaderRoutes implements RouteSet {

  private final PartnerCopies copies;

  public PartnerReaderRoutes(PartnerCopies copies) {
    this.copies = copies;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/review/partner/sessions").handler(AccessGuard.roles()).handler(ctx -> copies.sessions(user(ctx))
        .onSuccess(ctx::json).onFailure(ctx::fail));
    api.get("/review/partner/materials/:copyId").handler(AccessGuard.roles()).handler(this::material);
  }

  private void material(RoutingContext ctx) {
    copies.open(ctx.vertx(), user(ctx), ctx.pathParam("copyId")).onSuccess(pdf -> ctx.response()
        .putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename*=UTF-8''"
            + URLEncoder.encode(pdf.title() + ".pdf", StandardCharsets.UTF_8).replace("+", "%20"))
        .putHeader("Cache-Control", "private, no-store").end(Buffer.buffer(pdf.bytes()))).onFailure(ctx::fail);
  }

  private static String user(RoutingContext ctx) {
    return Principal.required(ctx).user().id();
  }
}
