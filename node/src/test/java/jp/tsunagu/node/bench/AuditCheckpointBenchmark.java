package jp.tsunagu.node.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.tsunagu.federation.audit.AuditChainVerifier;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.node.audit.AuditCheckpoints;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;

/**
 * What the signed audit checkpoint costs: audit events committed per second by 32 concurrent
 * writers through the node's storage layer with the checkpoint kept at the head of the chain
 * (signed, forced to disk and renamed after the commits), against the same without a checkpoint,
 * measured alternately in the same run (the median of the per-round ratios, with their spread). Run with {@code mvn -B -q -pl node -am -Pbench verify -DskipTests}.
 */
public final class AuditCheckpointBenchmark {

  private static final int WRITERS = 32;
  private static final int EVENTS_PER_WRITER = 1_000;
  private static final int ROUNDS = 7;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-audit-bench-");
    NodeIdentity identity = NodeIdentity.create(dir.resolve("identity"), new NodeProfile("ina", "いーな",
        List.of(MunicipalityCode.parse("202096")), URI.create("https://127.0.0.1:9443")));
    System.out.println("Tsunagu audit checkpoint benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
    events(dir.resolve("warmup"), identity, true, 8, 50);
    double[] plain = new double[ROUNDS];
    double[] checkpointed = new double[ROUNDS];
    double[] ratios = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      plain[round] = events(dir.resolve("plain-" + round), identity, false, WRITERS, EVENTS_PER_WRITER);
      checkpointed[round] = events(dir.resolve("checkpointed-" + round), identity, true, WRITERS, EVENTS_PER_WRITER);
      ratios[round] = checkpointed[round] / plain[round];
    }
    double ratio = median(ratios);
    System.out.printf(Locale.ROOT, "%naudit events, %d writers x %d events, medians of %d alternating rounds:%n",
        WRITERS, EVENTS_PER_WRITER, ROUNDS);
    System.out.printf(Locale.ROOT, "  with the signed checkpoint:          %,10.0f committed events/s%n",
        median(checkpointed));
    System.out.printf(Locale.ROOT, "  baseline: chain only, no checkpoint: %,10.0f committed events/s%n", median(plain));
    System.out.printf(Locale.ROOT, "  ratio per round: median %.2f (from %.2f to %.2f)   (target >= 0.8)   %s%n", ratio,
        Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(),
        ratio >= 0.8 ? "MET" : "NOT MET");
    System.exit(0);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Events per second; with a checkpoint, also checks that it ended at the last row. */
  private static double events(Path dataDir, NodeIdentity identity, boolean checkpoint, int writers, int each)
      throws Exception {
    Files.createDirectories(dataDir);
    Files.createSymbolicLink(dataDir.resolve(AuditChainVerifier.IDENTITY), identity.dir().toAbsolutePath());
    NodeConfig.Storage settings = new NodeConfig.Storage(4, Duration.ofSeconds(10), 256);
    double rate;
    try (Database database = Database.open(dataDir.resolve(AuditChainVerifier.DATABASE), settings)) {
      AuditCheckpoints checkpoints = checkpoint
          ? AuditCheckpoints.start(database, identity, dataDir, Clock.systemUTC()) : null;
      AuditLog log = new AuditLog(database, Clock.systemUTC());
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      long started = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            log.record(AuditEvent.success("user-" + writer, "patient.read", "patient:" + i,
                new JsonObject().put("n", i))).toCompletionStage().toCompletableFuture().join();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      rate = writers * each / ((System.nanoTime() - started) / 1e9);
      pool.shutdown();
      if (checkpoints != null) {
        checkpoints.close();
      }
    }
    if (checkpoint && !AuditChainVerifier.verify(dataDir).intact()) {
      throw new IllegalStateException("the checkpoint did not end at the last row");
    }
    return rate;
  }
}
