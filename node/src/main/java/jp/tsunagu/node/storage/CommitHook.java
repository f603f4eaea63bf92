package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Work the single writer runs at the end of every transaction, just before its commit, on the
 * transaction's own connection: it sees everything the transaction wrote, and what it writes commits
 * or rolls back with it. Its result is handed on only after the commit is durable, and dropped when
 * the transaction rolls back, so an owner learns of exactly the changes that are committed. Confined
 * to the writer thread; registered with {@link Database#commitHook}.
 */
public final class CommitHook<T> {

  private final SqlWork<T> beforeCommit;
  /** What to do once the commit is durable; the stage it returns holds back the writes' answers until it completes. */
  private final Function<T, CompletionStage<?>> afterCommit;
  /**
   * Instead of {@link #afterCommit}: what to do once the commit is durable, told what the writes'
   * answers wait for (null: nothing); run after every other hook's follow-up.
   */
  private final BiConsumer<T, CompletionStage<Void>> awaitingAnswers;
  /** Instead of {@link #afterCommit}: the value goes out just before the commit statement (see {@link SentBeforeCommit}). */
  private final SentBeforeCommit<T> sentBeforeCommit;
  private T prepared;
  private boolean ran;
  /** Whether the value went out ahead of the commit under way; what the answers wait for beside it. */
  private boolean sent;
  private CompletionStage<?> sentHold;

  /**
   * A hook whose value goes out before the transaction's commit statement runs, so that what others do
   * with it (followers applying a replicated batch, each with its own {@code fsync}) overlaps the commit
   * here instead of following it. From then on the transaction's writes may outlast it elsewhere: when
   * the commit then fails, the writer answers them {@code storage.outcome_unknown} and never runs them
   * again (a write run again would make a different value under the same name), and the owner is told.
   */
  public interface SentBeforeCommit<T> {
    /** On the writer thread, just before the commit statement; returns what the answers wait for beside the commit (null: nothing). */
    CompletionStage<?> send(T value);

    /** On the writer thread, once the commit is durable. */
    void committed(T value);

    /** On the writer thread, when the commit failed after {@link #send}: the transaction is rolled back here. */
    void notCommitted(T value, Throwable failure);
  }

  CommitHook(SqlWork<T> beforeCommit, Consumer<T> afterCommit) {
    this(beforeCommit, value -> {
      afterCommit.accept(value);
      return null;
    });
  }

  CommitHook(SqlWork<T> beforeCommit, Function<T, CompletionStage<?>> afterCommit) {
    this.beforeCommit = beforeCommit;
    this.afterCommit = afterCommit;
    this.awaitingAnswers = null;
    this.sentBeforeCommit = null;
  }

  CommitHook(SqlWork<T> beforeCommit, BiConsumer<T, CompletionStage<Void>> awaitingAnswers) {
    this.beforeCommit = beforeCommit;
    this.afterCommit = null;
    this.awaitingAnswers = awaitingAnswers;
    this.sentBeforeCommit = null;
  }

  CommitHook(SqlWork<T> beforeCommit, SentBeforeCommit<T> sentBeforeCommit) {
    this.beforeCommit = beforeCommit;
    this.afterCommit = null;
    this.awaitingAnswers = null;
    this.sentBeforeCommit = sentBeforeCommit;
  }

  /** Whether the follow-up is told what the answers wait for, rather than holding them back itself. */
  boolean awaitsAnswers() {
    return awaitingAnswers != null;
  }

  void beforeCommit(Connection connection) throws SQLException {
    prepared = beforeCommit.run(connection);
    ran = true;
  }

  /**
   * After every hook's {@link #beforeCommit}, just before the commit statement: a hook that sends its
   * value ahead sends it now (a null value, nothing to send, goes nowhere).
   */
  void beforeCommitStatement() {
    if (sentBeforeCommit == null || !ran || prepared == null) {
      return;
    }
    // Counted as sent before the owner is asked: part of it may be out even if sending fails.
    sent = true;
    sentHold = sentBeforeCommit.send(prepared);
  }

  /** Whether this transaction's value went out before its commit ({@link #beforeCommitStatement}). */
  boolean sent() {
    return sent;
  }

  /** The commit failed after the value went out: the owner is told, then the hook forgets it as at a rollback. */
  void notCommitted(Throwable failure) {
    T value = prepared;
    boolean wasSent = sent;
    forget();
    if (wasSent) {
      sentBeforeCommit.notCommitted(value, failure);
    }
  }

  /**
   * After a durable commit; the owner's follow-up must not undo a commit that has happened. Returns
   * what the writes' answers wait for (null: nothing).
   */
  CompletionStage<?> committed() {
    if (!ran) {
      return null;
    }
    T value = prepared;
    CompletionStage<?> hold = sentHold;
    boolean wasSent = sent;
    forget();
    if (sentBeforeCommit != null) {
      if (wasSent) {
        sentBeforeCommit.committed(value);
      }
      return hold;
    }
    return afterCommit.apply(value);
  }

  /** After a durable commit, for a hook that {@link #awaitsAnswers}: {@code answered} is null when nothing holds them. */
  void committed(CompletionStage<Void> answered) {
    if (!ran) {
      return;
    }
    T value = prepared;
    forget();
    awaitingAnswers.accept(value, answered);
  }

  void rolledBack() {
    forget();
  }

  private void forget() {
    prepared = null;
    ran = false;
    sent = false;
    sentHold = null;
  }
}
