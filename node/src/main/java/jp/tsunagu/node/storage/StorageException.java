package jp.tsunagu.node.storage;

/** The database could not do what was asked; {@link #code()} is stable, e.g. {@code storage.unavailable}. */
public final class StorageException extends RuntimeException {
  private final String code;

  public StorageException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
