package jp.tsunagu.node.keys;

/** Key material could not be created, read or used; {@link #code()} is stable. */
public final class KeyMaterialException extends RuntimeException {
  private final String code;

  public KeyMaterialException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
