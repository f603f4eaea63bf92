package jp.tsunagu.node.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import jp.tsunagu.node.TsunaguNode;

/** Keeps the process alive until SIGTERM or Ctrl-C, then stops every node cleanly. */
final class RunUntilStopped {

  private RunUntilStopped() {}

  static void run(List<TsunaguNode> nodes) throws InterruptedException {
    run(() -> nodes.forEach(TsunaguNode::close));
  }

  /** Runs {@code stop} on SIGTERM or Ctrl-C. */
  static void run(Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      stopped.countDown();
    }, "tsunagu-shutdown"));
    stopped.await();
  }
}
