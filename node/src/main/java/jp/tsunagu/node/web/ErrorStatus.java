package jp.tsunagu.node.web;

import jp.tsunagu.node.errors.CodedException.Kind;

/**
 * The one table from a kind of failure to the HTTP status it is answered with, on every listener.
 * No code outside the web layer knows these numbers; a new kind does not compile until it is here.
 */
final class ErrorStatus {

  private ErrorStatus() {}

  static int of(Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case UNSUPPORTED -> 415;
      case REJECTED -> 422;
      case RATE_LIMITED -> 429;
      case GONE -> 410;
      case INTERNAL -> 500;
      case UPSTREAM_FAILED -> 502;
      case UNAVAILABLE -> 503;
    };
  }
}
