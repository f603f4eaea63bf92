package jp.tsunagu.node.backup;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagu.federation.backup.Generation;

/**
 * One backup being made or made: who asked (the operator or the schedule), the step it is at and how
 * far, and how it ended. Written by the backup thread, read by the admin API: every field is
 * published through volatile writes.
 */
final class BackupRun {

  /** Who started a run. */
  enum Trigger { OPERATOR, SCHEDULE }

  private final String id;
  private final Trigger trigger;
  private final Instant startedAt;
  private volatile String state = "running";
  private volatile String outcome = "failed";
  private volatile String step = "database";
  private volatile long done;
  private volatile long total;
  private volatile Instant finishedAt;
  private volatile Generation backup;
  private volatile String errorCode;
  private volatile String errorMessage;

  BackupRun(String id, Trigger trigger, Instant startedAt) {
    this.id = id;
    this.trigger = trigger;
    this.startedAt = startedAt;
  }

  String id() {
    return id;
  }

  Trigger trigger() {
    return trigger;
  }

  Instant startedAt() {
    return startedAt;
  }

  void step(String name, long total) {
    this.done = 0;
    this.total = total;
    this.step = name;
  }

  void progress(long done) {
    this.done = done;
  }

  /** How the run ended, staged: shown once {@link #publish} is called, after it is recorded and the next may start. */
  void succeeded(Generation made, Instant at) {
    this.backup = made;
    this.finishedAt = at;
    this.outcome = "succeeded";
  }

  /** A failure, staged as {@link #succeeded} is. */
  void failed(String code, String message, Instant at) {
    this.errorCode = code;
    this.errorMessage = message;
    this.finishedAt = at;
    this.outcome = "failed";
  }

  /** Shows the staged ending: a client that sees it may start the next backup at once. */
  void publish() {
    this.step = outcome.equals("succeeded") ? "done" : "failed";
    this.state = outcome;
  }

  /** The run as it is to be recorded: with its staged ending. */
  JsonObject toRecord() {
    return toJson().put("state", outcome).put("step", outcome.equals("succeeded") ? "done" : "failed");
  }

  boolean running() {
    return state.equals("running");
  }

  Optional<Generation> backup() {
    return Optional.ofNullable(backup);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("state", state)
        .put("trigger", trigger.name().toLowerCase(java.util.Locale.ROOT)).put("startedAt", startedAt.toString())
        .put("step", step).put("done", done).put("total", total);
    if (finishedAt != null) {
      json.put("finishedAt", finishedAt.toString());
    }
    if (backup != null) {
      json.put("backup", BackupJson.generation(backup));
    }
    if (errorCode != null) {
      json.put("error", new JsonObject().put("code", errorCode).put("message", errorMessage));
    }
    return json;
  }

  /** A run read back from the node's record of runs (finished ones only). */
  static BackupRun finished(String id, Trigger trigger, Instant startedAt, Instant finishedAt, String state, String code,
      String message) {
    BackupRun run = new BackupRun(id, trigger, startedAt);
    run.finishedAt = finishedAt;
    run.state = state;
    run.outcome = state;
    run.step = state.equals("succeeded") ? "done" : "failed";
    run.errorCode = code;
    run.errorMessage = message;
    return run;
  }
}
