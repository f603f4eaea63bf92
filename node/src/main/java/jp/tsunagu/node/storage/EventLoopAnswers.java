package jp.tsunagu.node.storage;

import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a committed transaction's answers to the event loops that wait for them. Completing each
 * write's promise from the writer thread schedules one task, and wakes the loop, per write: with 32
 * request handlers writing at once that was the writer thread's largest cost after SQLite itself, and
 * each wake-up delayed the next batch. Here the answers bound for one event loop go in one task, which
 * completes each promise on its own (request) context, as completing it there would. Answers to futures
 * and to other kinds of context (a worker's) are completed as before, one by one.
 */
final class EventLoopAnswers {

  private EventLoopAnswers() {
  }

  /** Answers how many tasks it handed to event loops (one per loop answered). */
  static int deliver(List<WriteQueue.Outcome> outcomes) {
    Map<EventLoop, List<WriteQueue.Outcome>> byLoop = null;
    for (WriteQueue.Outcome outcome : outcomes) {
      PromiseInternal<?> promise = outcome.write().promise();
      if (promise == null || !promise.context().isEventLoopContext()) {
        outcome.complete();
        continue;
      }
      byLoop = byLoop == null ? new IdentityHashMap<>(4) : byLoop;
      byLoop.computeIfAbsent(promise.context().nettyEventLoop(), loop -> new ArrayList<>()).add(outcome);
    }
    if (byLoop == null) {
      return 0;
    }
    byLoop.forEach((loop, answers) -> loop.execute(() -> complete(answers)));
    return byLoop.size();
  }

  private static void complete(List<WriteQueue.Outcome> answers) {
    for (WriteQueue.Outcome answer : answers) {
      ContextInternal context = answer.write().promise().context();
      if (answer.write().step() != null) {
        answer.write().step().answered = System.nanoTime();
      }
      // emitted on the promise's own context: its listeners run now, on this thread, as they would have
      // in a task of their own
      try {
        context.emit(answer, WriteQueue.Outcome::complete);
      } catch (RuntimeException e) {
        // one listener's failure must not keep the other writes of the transaction unanswered
        context.reportException(e);
      }
    }
  }
}
