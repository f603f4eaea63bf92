package jp.tsunagu.node.sensors;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.jws.Base64Url;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a gateway's signed batch: the gateway must be one this node issued and still active, the
 * signature over the exact body bytes must verify with its key, the batch must be within its rate,
 * its readings well formed, not in the future and not past the retention period, and every device
 * registered to it in an active household. Then the readings are stored in one transaction
 * ({@link ReadingSql}) and, after the commit, the new ones are handed to {@link NewReadings}. Every
 * refusal but the rate's is audited (a flood must not become a flood of writes).
 */
final class SensorIngest {

  /**
   * Batches read, checked and stored at once: one being stored while the next is read on the ingest's
   * worker. More in flight only queued parsed readings at the writer (memory and collections the rest
   * of the node paid for), not a faster catch-up: the single writer stores one at a time.
   */
  static final int IN_FLIGHT = 2;
  /**
   * Readings stored between two looks at whether an interactive write waits (see {@link #store}): what
   * a nurse's write may wait for during a backlog.
   */
  static final int PART = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(SensorIngest.class);
  /** A body from which on the JDK's verifier is the faster (see {@link #verifies}). */
  private static final int LARGE_BODY = 16 * 1024;

  private final NodeServices services;
  private final AuditLog audit;
  private final NewReadings newReadings;
  private final jp.tsunagu.node.web.RateWindow rate;
  private final Map<String, VerificationKey> keys = new ConcurrentHashMap<>();
  private final Counter stored;
  private final Counter duplicates;
  private volatile io.vertx.core.WorkerExecutor workers;
  private final IngestGate gate = new IngestGate(IN_FLIGHT);
  private final PeopleFirst people;

  SensorIngest(NodeServices services, AuditLog audit, NewReadings newReadings) {
    this.services = services;
    this.audit = audit;
    this.newReadings = newReadings;
    this.rate = new jp.tsunagu.node.web.RateWindow(services.clock());
    this.people = new PeopleFirst(services.metrics(), services.config().sensors().peopleFirstMs());
    this.stored = Counter.builder("tsunagu.sensors.readings.stored").description("watch-sensor readings stored")
        .register(services.metrics());
    this.duplicates = Counter.builder("tsunagu.sensors.readings.duplicates")
        .description("watch-sensor readings delivered again (absorbed)").register(services.metrics());
  }

  /**
   * @param vertx where the batch's readings are checked (on a worker)
   * @param raw the body's bytes, as signed
   * @param signature the signature header (null when absent)
   * @return the answer: the batch id, how many readings came, how many were new
   */
  Future<JsonObject> accept(Vertx vertx, byte[] raw, String signature) {
    // A backlog sends dozens of batches at once: only a few are read and stored at a time, the rest
    // wait here as the bytes they arrived as, not as thousands of parsed readings each.
    return gate.run(() -> onWorker(vertx, () -> BatchReader.read(raw, services.config().sensors().maxBatchReadings()))
        .recover(e -> e instanceof CodedException coded ? refuseUnread(coded) : Future.failedFuture(e))
        .compose(body -> accept(vertx, raw, body, signature)));
  }

  private Future<JsonObject> accept(Vertx vertx, byte[] raw, BatchReader.Read body, String signature) {
    String gatewayId;
    try {
      gatewayId = IngestBatch.gatewayOf(body);
    } catch (CodedException e) {
      return refuse("anonymous", "sensor_gateway", e);
    }
    return services.database().read(c -> GatewaySql.byId(c, gatewayId)).compose(found -> {
      String actor = "gateway:" + gatewayId;
      String target = "sensor_gateway:" + gatewayId;
      if (found.isEmpty()) {
        return refuse("anonymous", target, IngestErrors.gatewayUnknown());
      }
      GatewaySql.Gateway gateway = found.get();
      if (!gateway.active()) {
        return refuse(actor, target, IngestErrors.gatewayRevoked());
      }
      // A signature over a few hundred kilobytes is checked on a worker, as the body was read: on the
      // event loop it held up the listener's other requests (the nurses' timelines) for its duration.
      return onWorker(vertx, () -> verifies(gateway, raw, signature)).compose(verified -> {
        if (!verified) {
          return refuse("anonymous", target, IngestErrors.signatureInvalid());
        }
        if (!rate.allow(gatewayId, gateway.ratePerMinute())) {
          Counter.builder("tsunagu.sensors.batches.refused").tag("code", "ingest.rate_exceeded")
              .register(services.metrics()).increment();
          return Future.failedFuture(IngestErrors.rateExceeded(gateway.ratePerMinute()));
        }
        long now = services.clock().millis();
        int days = services.config().sensors().rawRetentionDays();
        // Thousands of readings: checked on a worker too.
        return onWorker(vertx, () -> IngestBatch.read(body, services.config().sensors().maxBatchReadings(), now,
            now - days * 86_400_000L, days))
            .recover(e -> e instanceof CodedException coded ? refuse(actor, target, coded) : Future.failedFuture(e))
            .compose(batch -> people.turn(vertx).compose(turn -> store(actor, target, batch, now)));
      });
    });
  }

  /**
   * Runs a batch's reading, verifying or checking on the ingest's own workers: half the processors (one
   * on two cores). On the node's general worker pool, gateways delivering a backlog at once parsed a
   * dozen 5,000-reading bodies side by side and took every core from the event loops and the readers
   * that serve the nurses' timelines; queued here, they take their turn and the rest of the node keeps
   * a share of the machine.
   */
  <T> Future<T> onWorker(Vertx vertx, java.util.concurrent.Callable<T> work) {
    io.vertx.core.WorkerExecutor pool = workers;
    if (pool == null) {
      pool = vertx.createSharedWorkerExecutor("tsunagu-sensor-ingest",
          Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
      workers = pool;
    }
    io.vertx.core.WorkerExecutor started = pool;
    // Each step in a gap between people's requests, where it can (see PeopleFirst).
    return people.turn(vertx).compose(turn -> started.executeBlocking(work, false));
  }

  /** The web listener's count of people's requests in flight, which the ingest's steps give way to. */
  PeopleFirst people() {
    return people;
  }

  /**
   * The batch checked whole and stored in parts of {@value #PART} readings in the writer's bulk lane.
   * A transaction takes part after part while no interactive write waits (a whole 5,000-reading
   * batch in one commit when nobody else writes: a fifth of the commits, and the devices' and hours'
   * rows written once instead of five times) and ends after the part it is on as soon as one does,
   * so a nurse's write waits for at most one part, not for a 5,000-reading transaction (a fifth of a
   * second and more on a busy machine, on every timeline read during a backlog), and is then committed
   * right after it in a transaction of its own (see {@code WriteQueue}). The first
   * transaction checks every reading, so a refused batch stores nothing; the batch is answered once
   * its last part is durable. Should a later transaction fail, the gateway is not answered success
   * and sends the batch again: the parts already stored are absorbed as duplicates (a reading is
   * stored once per device and sequence).
   */
  private Future<JsonObject> store(String actor, String target, IngestBatch batch, long now) {
    return services.database().writeBulk(c -> {
      ReadingSql.Checked checked = ReadingSql.check(c, batch);
      return checked.refusal() != null ? new Stored(checked, 0, List.of())
          : storeFrom(c, batch, checked, 0, now);
    }).compose(first -> {
      if (first.checked().refusal() != null) {
        return refuse(actor, target, first.checked().refusal());
      }
      return rest(batch, first, partStored(first.fresh()), now).map(fresh -> {
        int received = batch.readings().size();
        duplicates.increment(received - fresh);
        return new JsonObject().put("batch", batch.batch()).put("received", received).put("stored", fresh)
            .put("duplicates", received - fresh);
      });
    });
  }

  /** The batch's readings after {@code done}, one bulk transaction after the other; the new readings in all. */
  private Future<Integer> rest(IngestBatch batch, Stored done, int freshSoFar, long now) {
    if (done.to() >= batch.readings().size()) {
      return Future.succeededFuture(freshSoFar);
    }
    return services.database().writeBulk(c -> storeFrom(c, batch, done.checked(), done.to(), now))
        .compose(next -> rest(batch, next, freshSoFar + partStored(next.fresh()), now));
  }

  /**
   * In the writer's transaction: parts from {@code from} on, at least one, more while no interactive
   * write waits; then the new readings' hourly rows, devices and households, once for all the parts.
   */
  private Stored storeFrom(java.sql.Connection c, IngestBatch batch, ReadingSql.Checked checked, int from, long now)
      throws java.sql.SQLException {
    List<IngestBatch.Reading> all = batch.readings();
    List<NewReadings.Reading> fresh = new java.util.ArrayList<>();
    int to = from;
    do {
      int end = Math.min(all.size(), to + PART);
      fresh.addAll(ReadingSql.insert(c, all.subList(to, end), checked.devices(), now));
      to = end;
    } while (to < all.size() && !services.database().interactiveWriteWaiting());
    ReadingSql.recordFresh(c, batch.gateway(), fresh, now);
    return new Stored(checked, to, fresh);
  }

  /** A transaction's new readings handed to the rules as soon as they are durable; how many there were. */
  private int partStored(List<NewReadings.Reading> fresh) {
    if (!fresh.isEmpty()) {
      handOn(fresh);
    }
    stored.increment(fresh.size());
    return fresh.size();
  }

  /** A transaction of the batch: the check, where the readings it stored end, and the new ones among them. */
  private record Stored(ReadingSql.Checked checked, int to, List<NewReadings.Reading> fresh) {}

  /**
   * The readings are committed: a failure of the rules must not turn into a refusal of the batch (the
   * gateway would send it again for nothing), so it is logged and the batch answered.
   */
  private void handOn(List<NewReadings.Reading> fresh) {
    try {
      newReadings.stored(fresh);
    } catch (RuntimeException e) {
      LOG.error("{} new sensor readings were stored but the rules failed on them", fresh.size(), e);
    }
  }

  private boolean verifies(GatewaySql.Gateway gateway, byte[] raw, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64Url.decode(signature.strip(), "ingest.signature_invalid");
    } catch (ProtocolException e) {
      return false;
    }
    VerificationKey key = keys.computeIfAbsent(gateway.publicKey(),
        jwk -> VerificationKey.fromJwk((Map<String, Object>) new JsonObject(jwk).getMap()));
    // Both are RFC 8032 verifiers. Ed25519 hashes the whole body with SHA-512, and over a batch of a few
    // hundred kilobytes that hash is nearly all of the cost: the JDK's SHA-512 took a third to a quarter
    // of Bouncy Castle's time there, while Bouncy Castle's curve arithmetic wins on the small bodies.
    return raw.length >= LARGE_BODY ? jp.tsunagu.federation.crypto.Ed25519.verify(key.publicKey(), raw, bytes)
        : key.verify(raw, bytes);
  }

  /** A body that is not strict JSON (or fails the document's schema): audited, nothing read from it. */
  <T> Future<T> refuseUnread(CodedException refusal) {
    return refuse("anonymous", "sensor_gateway", refusal);
  }

  /** Audits the refusal, then fails with it: the gateway learns the code once the record is durable. */
  private <T> Future<T> refuse(String actor, String target, CodedException refusal) {
    Counter.builder("tsunagu.sensors.batches.refused").tag("code", refusal.code()).register(services.metrics())
        .increment();
    return audit.record(AuditEvent.refused(actor, "sensors.batch.refused", target,
        new JsonObject().put("code", refusal.code()))).compose(done -> Future.failedFuture(refusal));
  }
}
