package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * At most a few pieces of asynchronous work at once, the others started in their order of arrival
 * as those end (however they end). Callers on several event loops share it.
 */
final class IngestGate {

  private final int most;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  IngestGate(int most) {
    this.most = most;
  }

  /** Starts the work now or once a place is free; its outcome is the answer. */
  <T> Future<T> run(Supplier<Future<T>> work) {
    Promise<T> answer = Promise.promise();
    Runnable start = () -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(done -> {
        release();
        answer.handle(done);
      });
    };
    boolean now;
    synchronized (this) {
      now = running < most;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return answer.future();
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}
