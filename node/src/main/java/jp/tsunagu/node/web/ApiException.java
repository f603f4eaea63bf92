package jp.tsunagu.node.web;

/**
 * A refusal the client should see: an HTTP status, a stable dotted code that programs match on
 * ({@code care.not_a_member}), and a message for people. Thrown by domain code or passed to
 * {@code ctx.fail(...)}; {@link ErrorHandler} turns it into {@code {code, message, requestId}}.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException unauthorized(String code, String message) {
    return new ApiException(401, code, message);
  }

  public static ApiException forbidden(String code, String message) {
    return new ApiException(403, code, message);
  }

  /** The answer for anything the caller may not know exists. */
  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
