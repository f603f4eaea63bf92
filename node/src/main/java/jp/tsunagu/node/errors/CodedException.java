package jp.tsunagu.node.errors;

import io.vertx.core.json.JsonObject;

/**
 * Why something the node was asked to do did not happen, as every layer says it: a {@link Kind}
 * (the family of the answer), a stable dotted code that programs match on ({@code care.not_a_member}),
 * a message for people, and optional details the caller sees beside them (each form field's problem).
 * Domain, storage and federation code throw it or fail a future with it; only the web layer knows
 * how a kind is answered over HTTP, in one table, and writes {@code {code, message, requestId}}.
 */
public class CodedException extends RuntimeException {

  /** The family of an answer: what the caller can make of it, whatever the code. */
  public enum Kind {
    /** The content is malformed or breaks a rule of its field. */
    INVALID(true),
    /** Nobody is logged in, or the credential does not prove who they are. */
    UNAUTHENTICATED(true),
    /** The caller is known but may not do this. */
    FORBIDDEN(true),
    /** Nothing by that name, or nothing the caller may know exists. */
    NOT_FOUND(true),
    /** The request clashes with what is there now (a duplicate, an archived record, another version). */
    CONFLICT(true),
    /** The content is of a type not taken here. */
    UNSUPPORTED(true),
    /** Well formed, but refused by a rule of the domain (a partner's event, a file with bad rows). */
    REJECTED(true),
    /** Too many attempts or streams for now. */
    RATE_LIMITED(true),
    /** It existed, and is no longer to be had (a one-time link used, expired or revoked). */
    GONE(true),
    /** A service the node hands work to (the mail server) did not do it. */
    UPSTREAM_FAILED(false),
    /** The node, or a service it needs, cannot answer now (the database, the geocoder); later may work. */
    UNAVAILABLE(false),
    /** The node failed in a way the caller cannot help. */
    INTERNAL(false);

    private final boolean refusal;

    Kind(boolean refusal) {
      this.refusal = refusal;
    }

    /**
     * Whether this is a verdict on the request itself (the caller's to change), rather than the
     * node failing to answer it: only a refusal may be remembered as the answer to a partner's event.
     */
    public boolean isRefusal() {
      return refusal;
    }
  }

  private final Kind kind;
  private final String code;
  private final JsonObject details;

  public CodedException(Kind kind, String code, String message) {
    this(kind, code, message, null, null);
  }

  /** {@code details} are shown to the caller beside code and message, under their own keys. */
  public CodedException(Kind kind, String code, String message, JsonObject details) {
    this(kind, code, message, details, null);
  }

  /**
   * A refusal is common and says all in its code, so it records no stack trace; a failure of the
   * node keeps one for the log.
   */
  public CodedException(Kind kind, String code, String message, JsonObject details, Throwable cause) {
    super(message, cause, !kind.isRefusal(), !kind.isRefusal());
    this.kind = kind;
    this.code = code;
    this.details = details == null ? new JsonObject() : details.copy();
  }

  public static CodedException invalid(String code, String message) {
    return new CodedException(Kind.INVALID, code, message);
  }

  public static CodedException unauthenticated(String code, String message) {
    return new CodedException(Kind.UNAUTHENTICATED, code, message);
  }

  public static CodedException forbidden(String code, String message) {
    return new CodedException(Kind.FORBIDDEN, code, message);
  }

  /** The answer for anything the caller may not know exists. */
  public static CodedException notFound(String code, String message) {
    return new CodedException(Kind.NOT_FOUND, code, message);
  }

  public static CodedException conflict(String code, String message) {
    return new CodedException(Kind.CONFLICT, code, message);
  }

  public static CodedException unsupported(String code, String message) {
    return new CodedException(Kind.UNSUPPORTED, code, message);
  }

  public static CodedException rejected(String code, String message) {
    return new CodedException(Kind.REJECTED, code, message);
  }

  public static CodedException rateLimited(String code, String message) {
    return new CodedException(Kind.RATE_LIMITED, code, message);
  }

  public static CodedException gone(String code, String message) {
    return new CodedException(Kind.GONE, code, message);
  }

  public static CodedException upstreamFailed(String code, String message) {
    return new CodedException(Kind.UPSTREAM_FAILED, code, message);
  }

  public static CodedException unavailable(String code, String message) {
    return new CodedException(Kind.UNAVAILABLE, code, message);
  }

  public static CodedException internal(String code, String message) {
    return new CodedException(Kind.INTERNAL, code, message);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  /** What the caller is shown besides code and message (empty for most); a copy. */
  public JsonObject details() {
    return details.copy();
  }
}
