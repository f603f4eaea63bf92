package jp.tsunagu.node.identity;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import jp.tsunagu.node.errors.CodedException;

/**
 * Route guards every feature uses: who must be logged in with which role, and the CSRF check on
 * every state-changing request. Records are checked by the features themselves (a record of
 * another facility or team is a 404, never a 403).
 */
public final class AccessGuard {

  public static final String CSRF_HEADER = "X-CSRF-Token";

  private AccessGuard() {}

  /** Lets the request on only for a logged-in user with one of the roles (any role when none given). */
  public static Handler<RoutingContext> roles(Role... roles) {
    Set<Role> allowed = roles.length == 0 ? EnumSet.allOf(Role.class) : EnumSet.copyOf(Arrays.asList(roles));
    return ctx -> {
      var principal = Principal.of(ctx);
      if (principal.isEmpty()) {
        ctx.fail(unauthenticated(ctx));
      } else if (!allowed.contains(principal.get().user().role())) {
        ctx.fail(CodedException.forbidden("auth.forbidden", "この操作を行う権限がありません。"));
      } else {
        ctx.next();
      }
    };
  }

  /**
   * The CSRF check for a state-changing request: the {@code X-CSRF-Token} header must equal the
   * CSRF cookie and, once logged in, the token bound to the session. A page on another site can
   * neither read the token nor, with SameSite=Strict, send the cookies.
   */
  public static void csrf(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader(CSRF_HEADER);
    String cookie = SessionCookies.csrf(ctx).orElse(null);
    boolean ok = Secrets.sameToken(header, cookie)
        && Principal.of(ctx).map(p -> Secrets.sameToken(header, p.session().csrfToken())).orElse(true);
    if (ok) {
      ctx.next();
    } else {
      ctx.fail(CodedException.forbidden("csrf.invalid",
          "画面の有効期限が切れました。ページを再読み込みしてからもう一度操作してください。"));
    }
  }

  static CodedException unauthenticated(RoutingContext ctx) {
    String problem = ctx.get(Principal.PROBLEM_KEY);
    if ("auth.session_expired".equals(problem)) {
      return CodedException.unauthenticated(problem, "一定時間操作がなかったため、ログアウトしました。再度ログインしてください。");
    }
    if (problem != null) {
      return CodedException.unauthenticated(problem, "ログインの有効期限が切れたか、無効です。再度ログインしてください。");
    }
    return CodedException.unauthenticated("auth.required", "ログインが必要です。");
  }
}
