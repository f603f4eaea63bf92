package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.meetings.VideoLinks;

/**
 * 審査会作成管理 (the secretariat): sessions of a panel with the 事前審査 deadline and the video link,
 * the cases on them (entered one by one or imported as CSV), the release of the materials to the
 * panel at a time, and the confirmation of the result that starts the deletion clock.
 */
final class Sessions {

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;
  private final VideoLinks videoLinks;

  Sessions(NodeServices services, AuditLog audit, ReviewAccess access, VideoLinks videoLinks) {
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.videoLinks = videoLinks;
  }

  /** A session; refused when its panel has fewer members than its quorum (review.below_quorum). */
  Future<JsonObject> create(String actor, JsonObject body) {
    String panelId = ReviewInput.text(body, "panelId");
    Instant starts = ReviewInput.time(body, "startsAt", "開始");
    Instant ends = body.getValue("endsAt") == null ? starts.plus(2, ChronoUnit.HOURS)
        : ReviewInput.time(body, "endsAt", "終了");
    Instant deadline = ReviewInput.time(body, "opinionDeadline", "事前審査の締切");
    if (!ends.isAfter(starts) || deadline.isAfter(starts)) {
      return Future.failedFuture(CodedException.invalid("review.invalid_time",
          "終了は開始より後、事前審査の締切は開始より前にしてください。"));
    }
    if (deadline.isBefore(Instant.now(services.clock()))) {
      return Future.failedFuture(CodedException.invalid("review.deadline_past",
          "事前審査の締切がすでに過ぎています。これからの日時を指定してください。"));
    }
    VideoLinks.Video video = videoLinks.issue(ReviewInput.text(body, "videoProvider").isEmpty() ? "jitsi"
        : ReviewInput.text(body, "videoProvider"), ReviewInput.text(body, "videoUrl"));
    String now = now();
    return services.database().write(c -> {
      ReviewSql.Panel panel = ReviewSql.panel(c, panelId).orElseThrow(() -> CodedException.notFound(
          "review.panel_not_found", "合議体が見つかりません。"));
      int members = ReviewSql.members(c, panelId).size();
      if (members < panel.quorum()) {
        throw CodedException.conflict("review.below_quorum", "合議体の委員が定足数（" + panel.quorum()
            + "人）に足りないため、審査会を作成できません。");
      }
      ReviewSql.Session s = new ReviewSql.Session(ReviewIds.next(), panelId, starts.toString(), ends.toString(),
          deadline.toString(), video.provider(), video.url(), null, null, null);
      ReviewSql.insertSession(c, s, actor, now);
      audit.append(c, AuditEvent.success(actor, "review.session_created", "review_session:" + s.id(),
          new JsonObject().put("panel", panelId).put("startsAt", s.startsAt())));
      return sessionJson(c, s, true);
    });
  }

  Future<JsonObject> list() {
    return services.database().read(c -> {
      JsonArray out = new JsonArray();
      for (ReviewSql.Session s : ReviewSql.sessions(c)) {
        out.add(summary(c, s));
      }
      return new JsonObject().put("sessions", out);
    });
  }

  /** The secretariat's view of a session: every case with the mapping from label to applicant. */
  Future<JsonObject> one(String actor, String sessionId) {
    return services.database().read(c -> sessionJson(c, access.session(c, sessionId), true))
        .compose(json -> audit.record(AuditEvent.success(actor, "review.session_read", "review_session:" + sessionId,
            null)).map(json));
  }

  Future<JsonObject> addCase(String actor, String sessionId, JsonObject body) {
    CaseInput input = CaseInput.of(body);
    return services.database().write(c -> {
      ReviewSql.Session s = open(c, sessionId);
      ReviewSql.Case k = insert(c, s, input);
      audit.append(c, AuditEvent.success(actor, "review.case_added", "review_session:" + sessionId,
          new JsonObject().put("case", k.id())));
      return new JsonObject().put("id", k.id()).put("ordinal", k.ordinal());
    });
  }

  /** Every row or none; a refused file changes nothing and names each bad row. */
  Future<JsonObject> importCases(String actor, String sessionId, byte[] csv) {
    List<CaseInput> inputs;
    try {
      inputs = CaseCsv.read(csv);
    } catch (CodedException e) {
      return Future.failedFuture(e);
    }
    return services.database().write(c -> {
      ReviewSql.Session s = open(c, sessionId);
      for (CaseInput input : inputs) {
        insert(c, s, input);
      }
      audit.append(c, AuditEvent.success(actor, "review.cases_imported", "review_session:" + sessionId,
          new JsonObject().put("cases", inputs.size())));
      return new JsonObject().put("imported", inputs.size());
    });
  }

  /** Work done in the release's own write (the partner packages queued), so none is lost on a crash. */
  interface ReleaseHook {
    void released(java.sql.Connection c, ReviewSql.Session s) throws java.sql.SQLException;
  }

  private ReleaseHook onRelease = (c, s) -> { };

  void onRelease(ReleaseHook hook) {
    this.onRelease = hook;
  }

  /** Releases the materials to the panel from {@code releaseAt} (now when absent); null withdraws the release. */
  Future<JsonObject> release(String actor, String sessionId, JsonObject body) {
    boolean withdraw = Boolean.TRUE.equals(body.getValue("withdraw"));
    String at = withdraw ? null : body.getValue("releaseAt") == null ? now()
        : ReviewInput.time(body, "releaseAt", "公開").toString();
    return services.database().write(c -> {
      ReviewSql.Session s = open(c, sessionId);
      ReviewSql.release(c, sessionId, at);
      onRelease.released(c, ReviewSql.session(c, sessionId).orElseThrow());
      audit.append(c, AuditEvent.success(actor, withdraw ? "review.release_withdrawn" : "review.released",
          "review_session:" + sessionId, at == null ? null : new JsonObject().put("releaseAt", at)));
      return sessionJson(c, ReviewSql.session(c, s.id()).orElseThrow(), true);
    });
  }

  /** Confirms the session's result once every case has its 二次判定; the deletion clock starts now. */
  Future<JsonObject> confirm(String actor, String sessionId) {
    String now = now();
    return services.database().write(c -> {
      ReviewSql.Session s = open(c, sessionId);
      List<ReviewSql.Case> cases = ReviewSql.cases(c, sessionId);
      long undecided = cases.stream().filter(k -> k.secondLevel() == null).count();
      if (cases.isEmpty() || undecided > 0) {
        throw CodedException.conflict("review.undecided_cases", "二次判定が記録されていない事例が " + undecided
            + " 件あります。");
      }
      ReviewSql.confirm(c, sessionId, now);
      audit.append(c, AuditEvent.success(actor, "review.result_confirmed", "review_session:" + sessionId,
          new JsonObject().put("cases", cases.size())));
      return sessionJson(c, ReviewSql.session(c, s.id()).orElseThrow(), true);
    });
  }

  /** A session still open to changes: not confirmed, not deleted. */
  private ReviewSql.Session open(Connection c, String sessionId) throws SQLException {
    ReviewSql.Session s = access.session(c, sessionId);
    if (s.confirmedAt() != null || s.purgedAt() != null) {
      throw CodedException.conflict("review.session_closed", "結果が確定した審査会は変更できません。");
    }
    return s;
  }

  private static ReviewSql.Case insert(Connection c, ReviewSql.Session s, CaseInput input) throws SQLException {
    if (ReviewSql.caseNumberTaken(c, s.id(), input.caseNumber())) {
      throw CodedException.conflict("review.duplicate_case_number", "この事例番号はすでにこの審査会にあります。");
    }
    ReviewSql.Case k = input.toCase(ReviewIds.next(), s.id(), ReviewSql.nextOrdinal(c, s.id()));
    ReviewSql.insertCase(c, k);
    return k;
  }

  private JsonObject summary(Connection c, ReviewSql.Session s) throws SQLException {
    ReviewSql.Panel panel = ReviewSql.panel(c, s.panelId()).orElseThrow();
    return sessionCore(s, panel).put("cases", ReviewSql.cases(c, s.id()).size());
  }

  static JsonObject sessionCore(ReviewSql.Session s, ReviewSql.Panel panel) {
    return new JsonObject().put("id", s.id()).put("panelId", panel.id()).put("panelNumber", panel.number())
        .put("panelName", panel.name()).put("startsAt", s.startsAt()).put("endsAt", s.endsAt())
        .put("opinionDeadline", s.deadline()).put("videoProvider", s.videoProvider()).put("videoUrl", s.videoUrl())
        .put("releaseAt", s.releaseAt()).put("confirmedAt", s.confirmedAt()).put("deletedAt", s.purgedAt());
  }

  private JsonObject sessionJson(Connection c, ReviewSql.Session s, boolean withMapping) throws SQLException {
    ReviewSql.Panel panel = ReviewSql.panel(c, s.panelId()).orElseThrow();
    JsonArray cases = new JsonArray();
    for (ReviewSql.Case k : ReviewSql.cases(c, s.id())) {
      JsonObject json = caseJson(panel, s, k, withMapping);
      JsonArray materials = new JsonArray();
      for (ReviewSql.Material m : ReviewSql.materials(c, k.id())) {
        materials.add(Materials.json(m));
      }
      cases.add(json.put("materials", materials).put("opinions", ReviewSql.opinions(c, k.id()).size()));
    }
    return sessionCore(s, panel).put("cases", cases);
  }

  /** A case: the label always; the applicant's identifying data only {@code withMapping} (the secretariat). */
  static JsonObject caseJson(ReviewSql.Panel panel, ReviewSql.Session s, ReviewSql.Case k, boolean withMapping) {
    JsonObject json = new JsonObject().put("id", k.id()).put("ordinal", k.ordinal())
        .put("label", ReviewAccess.label(panel, s, k.ordinal())).put("firstLevel", k.firstLevel())
        .put("firstLevelLabel", Level.label(k.firstLevel())).put("baseMinutes", k.baseMinutes())
        .put("itemScores", k.itemScores()).put("specialNotes", k.specialNotes())
        .put("secondLevel", k.secondLevel()).put("secondLevelLabel", Level.label(k.secondLevel()))
        .put("secondMonths", k.secondMonths()).put("secondRemarks", k.secondRemarks());
    if (withMapping) {
      json.put("caseNumber", k.caseNumber()).put("applicantName", k.applicantName())
          .put("applicantAddress", k.applicantAddress()).put("insuredNumber", k.insuredNumber())
          .put("doctorName", k.doctorName()).put("facilityName", k.facilityName());
    }
    return json;
  }

  private String now() {
    return Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
