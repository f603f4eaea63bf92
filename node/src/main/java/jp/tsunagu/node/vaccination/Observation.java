package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import jp.tsunagu.node.errors.CodedException;

/**
 * The observation after the shot (接種後の経過観察): 15 or 30 minutes from {@code startedAt}; the
 * phone screen runs the timer, and its end and who watched are recorded with the dose or by a
 * correction once it is over ({@code endedAt} and {@code observer} empty until then).
 */
record Observation(int minutes, Instant startedAt, Instant endedAt, String observer) {

  static Observation of(JsonObject json, Instant givenAt) {
    if (json == null) {
      throw CodedException.invalid("vaccination.observation_required", "経過観察（15分または30分）を入力してください。");
    }
    Object minutes = json.getValue("minutes");
    if (!(minutes instanceof Number n) || (n.intValue() != 15 && n.intValue() != 30) || n.doubleValue() != n.intValue()) {
      throw CodedException.invalid("vaccination.bad_observation_minutes", "経過観察は15分または30分です。");
    }
    Instant started = DoseInput.instant(json.getValue("startedAt"), "経過観察の開始時刻");
    if (started == null) {
      started = givenAt;
    }
    Instant ended = DoseInput.instant(json.getValue("endedAt"), "経過観察の終了時刻");
    if (ended != null && ended.isBefore(started)) {
      throw CodedException.invalid("vaccination.observation_ended_before_start",
          "経過観察の終了時刻が開始時刻より前です。");
    }
    String observer = json.getValue("observer") instanceof String s ? s.strip() : "";
    if (ended != null && observer.isEmpty()) {
      throw CodedException.invalid("vaccination.observer_required", "経過観察を終えたら、観察した方の名前を入力してください。");
    }
    return new Observation(n.intValue(), started, ended, observer);
  }

  JsonObject toJson() {
    return new JsonObject().put("minutes", minutes).put("startedAt", startedAt.toString())
        .put("endedAt", endedAt == null ? null : endedAt.toString()).put("observer", observer);
  }
}
