package jp.tsunagu.node.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a response: {@code {code, message, requestId}} with the right
 * status, logged once here. No stack trace or exception text ever reaches the client; the request
 * id lets an operator find the full story in the log. Browsers navigating to a page get the same
 * facts as a small Japanese HTML page.
 */
public final class ErrorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private ErrorHandler() {}

  /** Makes this the router's failure handler and its handler for unmatched requests. */
  public static void install(Router router) {
    router.route().failureHandler(ErrorHandler::handle);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, ErrorHandler::handle);
    }
  }

  static void handle(RoutingContext ctx) {
    ApiException error = classify(ctx);
    String requestId = RequestIds.of(ctx);
    if (error.status() >= 500) {
      LOG.error("{} {} failed with {} id={}", ctx.request().method(), ctx.request().path(), error.code(), requestId,
          ctx.failure());
    } else {
      LOG.debug("{} {} refused with {} id={}", ctx.request().method(), ctx.request().path(), error.code(), requestId);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(error.status()).putHeader("Cache-Control", "no-store");
    if (wantsHtml(ctx)) {
      ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .end(ErrorPage.render(error, requestId, ctx.request().path()));
    } else {
      JsonObject body = new JsonObject().put("code", error.code()).put("message", error.getMessage())
          .put("requestId", requestId);
      if (error instanceof InvalidFields invalid) {
        body.put("fields", invalid.toJson());
      }
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }
  }

  static ApiException classify(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DecodeException) {
      // The same answer as JsonBodies.required gives, for a route that decodes its body itself.
      return ApiException.badRequest("validation.malformed", "送信内容を読み取れません。");
    }
    if (failure instanceof StorageException storage) {
      return new ApiException(503, storage.code(), "データベースが一時的に利用できません。時間をおいて再度お試しください。");
    }
    if (failure != null) {
      return new ApiException(500, "internal.error", "内部エラーが発生しました。");
    }
    return byStatus(ctx.statusCode());
  }

  private static ApiException byStatus(int status) {
    return switch (status) {
      case 400 -> ApiException.badRequest("request.invalid", "リクエストが正しくありません。");
      case 401 -> ApiException.unauthorized("auth.required", "ログインが必要です。");
      case 403 -> ApiException.forbidden("auth.forbidden", "この操作は許可されていません。");
      case 404 -> ApiException.notFound("http.not_found", "お探しのページまたはデータは見つかりません。");
      case 405 -> new ApiException(405, "http.method_not_allowed", "このメソッドは使えません。");
      case 413 -> new ApiException(413, "request.too_large", "送信されたデータが大きすぎます。");
      case 415 -> new ApiException(415, "request.unsupported_media_type", "この形式のデータは受け付けられません。");
      default -> status >= 400 && status < 500
          ? new ApiException(status, "request.refused", HttpResponseStatus.valueOf(status).reasonPhrase())
          : new ApiException(500, "internal.error", "内部エラーが発生しました。");
    };
  }

  private static boolean wantsHtml(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
  }
}
