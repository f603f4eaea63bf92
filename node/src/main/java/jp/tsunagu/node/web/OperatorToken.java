package jp.tsunagu.node.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.keys.AdminToken;

/**
 * The admin API's operator check: loopback alone let any local user or process create 行政 and 救急
 * accounts and import agreements. Every request but health and {@code /metrics} (no patient data;
 * left open for a Prometheus scraper on the same machine) must carry
 * {@code Authorization: Bearer <the token in dataDir/admin-token>}; others get 401
 * {@code admin.unauthorized}, audited with the path and the reason (never what was presented).
 */
final class OperatorToken {

  private static final String PREFIX = "Bearer ";

  private final AdminToken token;
  private final AuditLog audit;

  OperatorToken(AdminToken token, AuditLog audit) {
    this.token = token;
    this.audit = audit;
  }

  void check(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null || path.startsWith("/health/") || path.equals("/metrics")) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    boolean bearer = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    if (bearer && token.matches(header.substring(PREFIX.length()))) {
      ctx.next();
      return;
    }
    String reason = header == null ? "missing" : bearer ? "wrong" : "not_bearer";
    CodedException refusal = CodedException.unauthenticated("admin.unauthorized",
        "the admin API needs the operator token (tsunagu-admin --token-file DATADIR/admin-token)");
    audit.record(AuditEvent.refused("anonymous", "admin.refused", "admin:" + ctx.request().method() + " "
            + truncated(path), new JsonObject().put("reason", reason).put("remote", remote(ctx))))
        .onComplete(done -> ctx.fail(refusal));
  }

  private static String truncated(String path) {
    return path.length() > 200 ? path.substring(0, 200) : path;
  }

  private static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
  }
}
