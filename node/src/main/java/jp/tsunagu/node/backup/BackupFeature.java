package jp.tsunagu.node.backup;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.web.ReadinessCheck;
import jp.tsunagu.node.web.RouteSet;

/**
 * Backups of a running node (the MHLW guideline's generations, kept apart from the system, and
 * restores that are tried): online snapshots encrypted to the operator's backup key into a target
 * directory, on a daily schedule or when the operator asks, pruned by a retention policy; the age of
 * the last good one as a metric and in readiness. Verifying and restoring need the private key and
 * are the admin CLI's ({@code tsunagu-admin backup verify|restore|drill}).
 */
public final class BackupFeature implements NodeFeature {

  private final NodeServices services;
  private final NodeBackups backups;

  public BackupFeature(NodeServices services) {
    this.services = services;
    this.backups = new NodeBackups(services);
    Gauge.builder("tsunagu.backup.last.success.age", backups,
        b -> b.lastSuccess().map(at -> (double) Duration.between(at, services.clock().instant()).toSeconds())
            .orElse(Double.NaN))
        .description("seconds since the newest good backup was made (NaN: none yet)").baseUnit("seconds")
        .register(services.metrics());
  }

  @Override
  public String name() {
    return "backup";
  }

  /** The node's backups (tests). */
  public NodeBackups backups() {
    return backups;
  }

  @Override
  public List<RouteSet> adminRoutes() {
    return List.of(new BackupAdminRoutes(backups, services.database(), services.config().node().name()));
  }

  @Override
  public List<Supplier<Deployable>> verticles() {
    NodeConfig.Backup settings = services.config().backup();
    Clock clock = services.clock();
    return settings.dailyAt().filter(at -> settings.configured())
        .<List<Supplier<Deployable>>>map(at -> List.of(() -> new BackupScheduleVerticle(backups,
            new BackupSchedule(at, settings.zone()), settings.withKeys(), clock)))
        .orElse(List.of());
  }

  /** Always up (a late backup must not take the node out of service), with the backup's age and a warning. */
  @Override
  public List<ReadinessCheck> readiness() {
    return List.of(new ReadinessCheck("backup", 1_000, promise -> {
      JsonObject details = new JsonObject().put("configured", backups.configured());
      backups.lastSuccess().ifPresent(at -> details.put("lastSuccess", at.toString())
          .put("ageSeconds", Duration.between(at, services.clock().instant()).toSeconds()));
      if (backups.stale()) {
        details.put("warning", backups.lastSuccess().isPresent()
            ? "the last good backup is older than the daily schedule allows" : "no backup has been made yet");
      }
      promise.tryComplete(Status.OK(details));
    }));
  }

  @Override
  public void close() {
    backups.close();
  }
}
