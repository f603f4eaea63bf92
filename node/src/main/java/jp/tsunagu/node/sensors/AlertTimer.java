package jp.tsunagu.node.sensors;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules' timer: silence is itself an event (no door event, a device or gateway that stopped
 * reporting), and an alert left unacknowledged escalates; neither comes with a reading, so every
 * interval the rules look at the time. Alerts due to escalate are looked for more often, on their own
 * timer, so that the configured minutes are kept to within seconds. A look still running is not started
 * twice.
 */
final class AlertTimer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertTimer.class);

  private final AlertRules rules;
  private final Clock clock;
  private final long periodMs;
  private final long escalationPeriodMs;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean escalating = new AtomicBoolean();
  private final AtomicBoolean enabled;
  private long timer;
  private long escalationTimer;

  private final StatusSummaries summaries;
  private final PartnerMails partnerMails;

  AlertTimer(AlertRules rules, StatusSummaries summaries, PartnerMails partnerMails, Clock clock, long periodMs,
      long escalationPeriodMs, AtomicBoolean enabled) {
    this.escalationPeriodMs = escalationPeriodMs;
    this.summaries = summaries;
    this.partnerMails = partnerMails;
    this.enabled = enabled;
    this.rules = rules;
    this.clock = clock;
    this.periodMs = periodMs;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(periodMs, id -> look());
    escalationTimer = vertx.setPeriodic(escalationPeriodMs, id -> escalate());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(escalationTimer);
    return Future.succeededFuture();
  }

  private void look() {
    if (!enabled.get() || !running.compareAndSet(false, true)) {
      return;
    }
    // The partners' summaries follow what the sweep raised or escalated, in the same look.
    rules.sweep(vertx, clock.millis()).compose(raised -> summaries.sendChanged())
        .compose(sent -> partnerMails.sendQueued(vertx))
        .onFailure(e -> LOG.warn("the watch-sensor rules could not look at the time: {}", e.getMessage()))
        .onComplete(done -> running.set(false));
  }

  private void escalate() {
    if (!enabled.get() || !escalating.compareAndSet(false, true)) {
      return;
    }
    rules.escalateOverdue(vertx, clock.millis())
        .onFailure(e -> LOG.warn("the watch-sensor rules could not escalate overdue alerts: {}", e.getMessage()))
        .onComplete(done -> escalating.set(false));
  }
}
