package jp.tsunagu.node.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.channels.ClosedChannelException;
import jp.tsunagu.node.errors.CodedException;
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

  /** What the client is told: the status, the code and message, and any details beside them. */
  record Answer(int status, String code, String message, JsonObject details) {

    Answer(int status, String code, String message) {
      this(status, code, message, new JsonObject());
    }

    /** A coded failure, answered with its kind's status from {@link ErrorStatus}. */
    static Answer of(CodedException error) {
      return new Answer(ErrorStatus.of(error.kind()), error.code(), error.getMessage(), error.details());
    }
  }

  /** Makes this the router's failure handler and its handler for unmatched requests. */
  public static void install(Router router) {
    router.route().failureHandler(ErrorHandler::handle);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, ErrorHandler::handle);
    }
  }

  static void handle(RoutingContext ctx) {
    if (clientGone(ctx)) {
      // The client closed its connection while a response was on its way (a browser leaving a page, a client
      // that read all it wanted): nothing to answer on a closed connection, and nothing of the node failed.
      // Logged at ERROR with its stack before: a demo node logged 8 for about 30 pages and files it served whole.
      LOG.debug("{} {} ended: the client closed the connection id={}", ctx.request().method(), ctx.request().path(),
          RequestIds.of(ctx));
      return;
    }
    Answer error = classify(ctx);
    if (ForwardedRequests.forwardedInstead(ctx)) {
      return;
    }
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
      JsonObject body = new JsonObject().put("code", error.code()).put("message", error.message())
          .put("requestId", requestId);
      error.details().forEach(detail -> {
        if (!body.containsKey(detail.getKey())) {
          body.put(detail.getKey(), detail.getValue());
        }
      });
      // A keyed create that committed before it failed (e.g. a mail that did not go) keeps this answer.
      Answers.send(ctx, error.status(), "application/json; charset=utf-8", body.encode(), true);
    }
  }

  /**
   * Whether the failure is this request's own connection closed under its response: a closed stream or channel
   * while the response is closed or ended. A closed connection of a call the handler made (a forward to the
   * leader, a partner's listener) leaves the client's open, and is answered as any failure.
   */
  static boolean clientGone(RoutingContext ctx) {
    if (!ctx.response().closed() && !ctx.response().ended()) {
      return false;
    }
    for (Throwable e = ctx.failure(); e != null; e = e.getCause()) {
      if (e instanceof HttpClosedException || e instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  static Answer classify(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof StorageException storage) {
      // Its message is for the log; the caller learns only that the database is unavailable for now.
      return new Answer(ErrorStatus.of(storage.kind()), storage.code(),
          "データベースが一時的に利用できません。時間をおいて再度お試しください。");
    }
    if (failure instanceof CodedException coded) {
      return Answer.of(coded);
    }
    if (failure instanceof DecodeException) {
      // The same answer as JsonBodies.required gives, for a route that decodes its body itself.
      return Answer.of(CodedException.invalid("validation.malformed", "送信内容を読み取れません。"));
    }
    if (failure != null) {
      return Answer.of(CodedException.internal("internal.error", "内部エラーが発生しました。"));
    }
    return byStatus(ctx.statusCode());
  }

  /** A refusal the router itself made (no such route, a body too large), which comes as a status. */
  private static Answer byStatus(int status) {
    return switch (status) {
      case 400 -> new Answer(400, "request.invalid", "リクエストが正しくありません。");
      case 401 -> new Answer(401, "auth.required", "ログインが必要です。");
      case 403 -> new Answer(403, "auth.forbidden", "この操作は許可されていません。");
      case 404 -> new Answer(404, "http.not_found", "お探しのページまたはデータは見つかりません。");
      case 405 -> new Answer(405, "http.method_not_allowed", "このメソッドは使えません。");
      case 413 -> new Answer(413, "request.too_large", "送信されたデータが大きすぎます。");
      case 415 -> new Answer(415, "request.unsupported_media_type", "この形式のデータは受け付けられません。");
      default -> status >= 400 && status < 500
          ? new Answer(status, "request.refused", HttpResponseStatus.valueOf(status).reasonPhrase())
          : Answer.of(CodedException.internal("internal.error", "内部エラーが発生しました。"));
    };
  }

  private static boolean wantsHtml(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html") && !ctx.request().path().startsWith("/api/");
  }
}
