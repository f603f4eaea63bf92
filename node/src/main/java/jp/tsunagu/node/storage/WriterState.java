package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A value the single writer keeps in memory beside the database instead of reading it back on every
 * write (the head of the audit chain), kept true to what is committed: a write sees what the writes
 * before it in the same transaction set, a write rolled back to its savepoint takes its change with
 * it, and a transaction rolled back as a whole (a failing batch, a failed commit) forgets the value,
 * so the next write reads it again from the database. It starts unknown, so after a restart the first
 * write reads it too. Confined to the writer thread: use it only inside a {@link SqlWork} run by
 * {@link Database#submitWrite}, with the connection handed to that work.
 */
public final class WriterState<T> {

  private final SqlWork<T> load;
  private final Consumer<T> onCommit;
  /** Further owners told of commits (e.g. the audit checkpoint of a running node), added and removed at any time. */
  private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
  private T current;
  private T atSavepoint;
  private boolean changed;
  private boolean changedAtSavepoint;

  WriterState(SqlWork<T> load, Consumer<T> onCommit) {
    this.load = load;
    this.onCommit = onCommit;
  }

  /** The value as this transaction sees it; read from the database when not known. */
  public T get(Connection connection) throws SQLException {
    if (current == null) {
      current = load.run(connection);
    }
    return current;
  }

  /** The value after the caller's write, in force once its transaction commits. */
  public void set(T value) {
    current = value;
    changed = true;
  }

  void begin() {
    changed = false;
  }

  /** Tells {@code listener} of every committed change from now on, until {@link #stopTelling} it. */
  public void alsoTell(Consumer<T> listener) {
    listeners.add(listener);
  }

  public void stopTelling(Consumer<T> listener) {
    listeners.remove(listener);
  }

  void savepoint() {
    atSavepoint = current;
    changedAtSavepoint = changed;
  }

  void rollbackToSavepoint() {
    current = atSavepoint;
    changed = changedAtSavepoint;
  }

  /** After a durable commit: tells the owner the committed value if a write of the transaction changed it. */
  void committed() {
    if (changed && onCommit != null) {
      onCommit.accept(current);
    }
    if (changed) {
      listeners.forEach(listener -> listener.accept(current));
    }
    changed = false;
  }

  void rolledBack() {
    current = null;
    changed = false;
  }
}
