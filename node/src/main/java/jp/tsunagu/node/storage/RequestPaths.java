package jp.tsunagu.node.storage;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.context.storage.AccessMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The storage layer's part of each request's path, recorded only while a benchmark asks for it: for a
 * read, when it was queued for a reader, ran and was answered on the request's event loop; for a write,
 * when it was queued for the writer, how much of that wait was behind a bulk transaction (a gateway's
 * readings), when its own work ran, when its transaction's commit began and ended and when the answer
 * ran on the event loop. Joined with the client's own times by the request's id, it says where the
 * slowest requests' time goes, stage by stage. Off, it costs one volatile read a request.
 */
public final class RequestPaths {

  private static final String KEY = RequestPaths.class.getName();

  /** The paths being recorded, by request id; null while not recording. */
  private volatile Map<String, Path> recording;

  /** Records every request's path from now on (the ones begun before are not). */
  public void start() {
    recording = new ConcurrentHashMap<>();
  }

  /** Stops recording; answers the paths recorded since {@link #start}, by request id. */
  public Map<String, Path> stop() {
    Map<String, Path> recorded = recording;
    recording = null;
    return recorded == null ? Map.of() : recorded;
  }

  /**
   * Begins the path of the request whose handler runs now (on the request's own context), when recording;
   * the caller ends it when the response has ended.
   */
  public Optional<Path> begin(String requestId) {
    Map<String, Path> recorded = recording;
    if (recorded == null || !(Vertx.currentContext() instanceof ContextInternal context) || !context.isDuplicate()) {
      return Optional.empty();
    }
    Path path = new Path(System.nanoTime());
    context.localContextData().put(KEY, path);
    recorded.put(requestId, path);
    return Optional.of(path);
  }

  /** A new step of the current request's path, or null when its path is not recorded. */
  Step step(boolean write) {
    if (recording == null || !(Vertx.currentContext() instanceof ContextInternal context) || !context.isDuplicate()) {
      return null;
    }
    Map<Object, Object> locals = context.getLocal(ContextInternal.LOCAL_MAP, AccessMode.CONCURRENT);
    Object path = locals == null ? null : locals.get(KEY);
    return path instanceof Path p ? p.add(new Step(write, System.nanoTime())) : null;
  }

  /** One request: when its first handler ran and when its response ended, and its storage steps in order. */
  public static final class Path {
    private final long begun;
    private volatile long ended;
    private final List<Step> steps = new ArrayList<>(2);

    Path(long begun) {
      this.begun = begun;
    }

    private synchronized Step add(Step step) {
      steps.add(step);
      return step;
    }

    public void end() {
      ended = System.nanoTime();
    }

    public long begun() {
      return begun;
    }

    public long ended() {
      return ended;
    }

    /**
     * The request's time on the node by stage (nanoseconds; the stages add up to its whole time when its
     * steps ran one after the other): "handler" is the event loop's own work and its wait between the
     * steps; a read is "reader queue", "reader", "reader answer" (the wait for the event loop to take the
     * answer); a write is "writer queue, behind a bulk transaction", "writer queue" (behind people's
     * transactions), "writer, the writes before it" (in its transaction), "writer, own work" (its
     * statements), "writer, before the commit" (the transaction's later writes and its hooks),
     * "commit" (WAL, fsync, a checkpoint when one falls due) and "writer answer".
     */
    public synchronized Map<String, Long> stages() {
      long end = ended;
      Map<String, Long> stages = new LinkedHashMap<>();
      long at = begun;
      for (Step step : steps) {
        add(stages, "handler", step.queued - at);
        if (step.write) {
          add(stages, "writer queue, behind a bulk transaction", step.behindBulk);
          add(stages, "writer queue", step.transactionBegun - step.queued - step.behindBulk);
          add(stages, "writer, the writes before it", step.started - step.transactionBegun);
          add(stages, "writer, own work", step.worked - step.started);
          add(stages, "writer, before the commit", step.commitBegun - step.worked);
          add(stages, "commit", step.committed - step.commitBegun);
          add(stages, "writer answer", step.answered - step.committed);
        } else {
          add(stages, "reader queue", step.started - step.queued);
          add(stages, "reader", step.worked - step.started);
          add(stages, "reader answer", step.answered - step.worked);
        }
        at = step.answered;
      }
      add(stages, "handler", end - at);
      return stages;
    }

    /** Whether one of its writes waited in the queue while a bulk transaction held the writer. */
    public synchronized boolean waitedBehindBulk() {
      return steps.stream().anyMatch(step -> step.behindBulk > 0);
    }

    private static void add(Map<String, Long> stages, String stage, long nanos) {
      stages.merge(stage, nanos, Long::sum);
    }
  }

  /** One read or write of a request; its times are set by the storage threads and the event loop. */
  static final class Step {
    final boolean write;
    final long queued;
    /** When its transaction began, or when it was queued if that was later (see {@code WriteQueue}). */
    long transactionBegun;
    long started;
    long worked;
    long commitBegun;
    long committed;
    long answered;
    long behindBulk;

    Step(boolean write, long queued) {
      this.write = write;
      this.queued = queued;
    }
  }
}
