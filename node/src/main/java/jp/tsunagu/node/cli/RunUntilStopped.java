package jp.tsunagu.node.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.TsunaguNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Keeps the process alive until SIGTERM or Ctrl-C (SIGINT), then stops every node cleanly and lets
 * the command return, so that a requested stop exits 0 (as the commands' help says) rather than the
 * 143 or 130 a JVM ends with when a signal shuts it down. The signals are handled, not left to the
 * JVM's shutdown; a shutdown for any other reason still stops the nodes through a shutdown hook.
 */
final class RunUntilStopped {

  private static final Logger LOG = LoggerFactory.getLogger(RunUntilStopped.class);

  private final CountDownLatch requested = new CountDownLatch(1);

  private RunUntilStopped() {}

  /**
   * Starts listening for SIGTERM and Ctrl-C; call it before starting the nodes, so that a stop asked
   * for while they start (a service manager's stop right after its start) stops them once they are
   * up, rather than ending the JVM half-started.
   */
  static RunUntilStopped listen() {
    RunUntilStopped waiting = new RunUntilStopped();
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        LOG.info("SIG{} received: stopping", signal.getName());
        waiting.requested.countDown();
      });
    }
    return waiting;
  }

  void run(List<TsunaguNode> nodes) throws InterruptedException {
    run(() -> nodes.forEach(TsunaguNode::close));
  }

  /** Runs {@code stop} once, on SIGTERM or Ctrl-C (then returns) or at any other shutdown of the JVM. */
  void run(Runnable stop) throws InterruptedException {
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stopOnce = () -> {
      if (stopped.compareAndSet(false, true)) {
        stop.run();
      }
    };
    Thread hook = new Thread(stopOnce, "tsunagu-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    requested.await();
    stopOnce.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is shutting down for another reason already; the nodes are stopped
    }
  }
}
