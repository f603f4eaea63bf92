package jp.tsunagu.node.storage;

import jp.tsunagu.node.errors.CodedException;

/**
 * The database could not do what was asked; {@link #code()} is stable, e.g. {@code storage.unavailable}.
 * Its message is for the log: the caller is told only that the database is unavailable for now.
 */
public final class StorageException extends CodedException {

  public StorageException(String code, String message, Throwable cause) {
    super(Kind.UNAVAILABLE, code, message, null, cause);
  }
}
