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
  private T prepared;
  private boolean ran;

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
  }

  CommitHook(SqlWork<T> beforeCommit, BiConsumer<T, CompletionStage<Void>> awaitingAnswers) {
    this.beforeCommit = beforeCommit;
    this.afterCommit = null;
    this.awaitingAnswers = awaitingAnswers;
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
   * After a durable commit; the owner's follow-up must not undo a commit that has happened. Returns
   * what the writes' answers wait for (null: nothing).
   */
  CompletionStage<?> committed() {
    if (!ran) {
      return null;
    }
    T value = prepared;
    forget();
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
  }
}
