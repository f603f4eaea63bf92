package jp.tsunagu.node.backup;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import jp.tsunagu.node.errors.CodedException;

/** Looks every half minute whether the daily backup is due, and starts it on the backup thread. */
final class BackupScheduleVerticle extends VerticleBase {

  static final long CHECK_MILLIS = 30_000;
  static final long FIRST_CHECK_MILLIS = 2_000;

  private final NodeBackups backups;
  private final BackupSchedule schedule;
  private final boolean withKeys;
  private final Clock clock;
  private long timer;

  BackupScheduleVerticle(NodeBackups backups, BackupSchedule schedule, boolean withKeys, Clock clock) {
    this.backups = backups;
    this.schedule = schedule;
    this.withKeys = withKeys;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    // The first look soon after start: a slot missed while the node was down is caught up at once.
    timer = vertx.setPeriodic(FIRST_CHECK_MILLIS, CHECK_MILLIS, id -> check());
    return Future.succeededFuture();
  }

  private void check() {
    if (schedule.due(clock.instant(), backups.lastAttempt())) {
      try {
        backups.start(BackupRun.Trigger.SCHEDULE, withKeys);
      } catch (CodedException e) {
        // one is running (the operator's): it counts for this slot once it has started
      }
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
