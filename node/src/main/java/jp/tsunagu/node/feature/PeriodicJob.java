package jp.tsunagu.node.feature;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature's background job (deletion past a keeping time, queued mails): run a first time after
 * {@code firstMillis}, then every {@code everyMillis}, one run at a time — a run still going when the
 * timer fires is not doubled. A failed run is logged and left to the next one, which finds the same
 * work still due.
 */
public final class PeriodicJob extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PeriodicJob.class);

  private final String name;
  private final long firstMillis;
  private final long everyMillis;
  private final Function<Vertx, Future<?>> job;
  private boolean running;

  /**
   * @param name what the job does, for the log (e.g. {@code review deletion})
   * @param job one run; its result is logged at debug level
   */
  public PeriodicJob(String name, long firstMillis, long everyMillis, Function<Vertx, Future<?>> job) {
    this.name = name;
    this.firstMillis = firstMillis;
    this.everyMillis = everyMillis;
    this.job = job;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(firstMillis, everyMillis, id -> run());
    return Future.succeededFuture();
  }

  private void run() {
    if (running) {
      return;
    }
    running = true;
    job.apply(vertx)
        .onSuccess(result -> LOG.debug("{}: {}", name, result))
        .onFailure(e -> LOG.warn("{} failed; the next run tries again", name, e))
        .onComplete(done -> running = false);
  }
}
