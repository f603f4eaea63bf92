package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;

/**
 * 事前審査 (a reviewer, on a phone as often as not): the sessions of the panels they sit on, a session's
 * cases under their labels, and their opinion per case before the deadline. The others' opinions stay
 * hidden from a reviewer until they submit their own, so opinions are formed independently; the chair
 * sees them as they come.
 */
final class PreReview {

  /** The standard reasons for changing the 一次判定 (介護の手間の多少, read from 特記事項 or 主治医意見書). */
  static final Map<String, String> REASONS = Map.of(
      "special_notes_more", "特記事項：介護の手間が通常より多い",
      "special_notes_less", "特記事項：介護の手間が通常より少ない",
      "doctor_opinion_more", "主治医意見書：介護の手間が通常より多い",
      "doctor_opinion_less", "主治医意見書：介護の手間が通常より少ない",
      "doctor_opinion_unstable", "主治医意見書：状態の不安定性・認知機能の低下");
  static final int MIN_MONTHS = 3;
  static final int MAX_MONTHS = 48;

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;

  PreReview(NodeServices services, AuditLog audit, ReviewAccess access) {
    this.services = services;
    this.audit = audit;
    this.access = access;
  }

  /** The sessions of every panel the caller sits on (none for anyone who is no 審査委員). */
  Future<JsonObject> mySessions(String userId) {
    String today = LocalDate.now(services.clock().withZone(ReviewAccess.JAPAN)).toString();
    return services.database().read(c -> {
      JsonArray out = new JsonArray();
      for (ReviewSql.Appointment a : ReviewSql.appointmentsOf(c, access.nodeName(), userId, today)) {
        for (ReviewSql.Panel p : ReviewSql.panels(c)) {
          var seat = ReviewSql.members(c, p.id()).stream().filter(m -> m.appointment().id().equals(a.id())).findFirst();
          if (seat.isEmpty()) {
            continue;
          }
          for (ReviewSql.Session s : ReviewSql.sessionsOfPanels(c, List.of(p.id()))) {
            if (s.purgedAt() == null) {
              out.add(Sessions.sessionCore(s, p).put("position", seat.get().position())
                  .put("positionLabel", Panels.positionLabel(seat.get().position()))
                  .put("cases", ReviewSql.cases(c, s.id()).size()));
            }
          }
        }
      }
      return new JsonObject().put("sessions", out);
    });
  }

  /** The pre-review screen of a session: its cases as labels, the materials once released, the opinions. */
  Future<JsonObject> session(String userId, String sessionId) {
    Instant now = Instant.now(services.clock());
    Future<JsonObject> read = services.database().read(c -> {
      ReviewAccess.Seat seat = access.seat(c, userId, sessionId);
      boolean released = seat.session().releaseAt() != null && !Instant.parse(seat.session().releaseAt()).isAfter(now);
      JsonArray cases = new JsonArray();
      for (ReviewSql.Case k : ReviewSql.cases(c, sessionId)) {
        cases.add(caseView(c, seat, k, released));
      }
      return Sessions.sessionCore(seat.session(), seat.panel()).put("position", seat.member().position())
          .put("positionLabel", Panels.positionLabel(seat.member().position())).put("released", released)
          .put("open", !now.isAfter(Instant.parse(seat.session().deadline())) && seat.session().confirmedAt() == null)
          .put("members", ReviewSql.members(c, seat.panel().id()).size()).put("cases", cases)
          .put("reasons", reasons());
    });
    return access.audited(read, userId, "review.session.open", "review_session:" + sessionId)
        .compose(json -> audit.record(AuditEvent.success(userId, "review.session.opened",
            "review_session:" + sessionId, null)).map(json));
  }

  private JsonObject caseView(Connection c, ReviewAccess.Seat seat, ReviewSql.Case k, boolean released)
      throws SQLException {
    JsonObject json = Sessions.caseJson(seat.panel(), seat.session(), k, false);
    JsonArray materials = new JsonArray();
    if (released) {
      ReviewSql.materials(c, k.id()).stream().filter(m -> m.withdrawnAt() == null)
          .forEach(m -> materials.add(Materials.json(m)));
    }
    Visible v = visible(c, seat, k.id());
    JsonArray others = new JsonArray();
    v.others().forEach(o -> others.add(opinionJson(o.opinion()).put("reviewer", o.name())));
    return json.put("materials", materials).put("mine", v.mine() == null ? null : opinionJson(v.mine()))
        .put("othersVisible", v.othersVisible()).put("others", others).put("submitted", v.submitted());
  }

  /** An opinion with the name of the reviewer who gave it. */
  record Named(String name, ReviewSql.Opinion opinion) {}

  /** What a seat may see of a case's opinions: its own, the others' when visible, how many were given. */
  record Visible(ReviewSql.Opinion mine, boolean othersVisible, List<Named> others, int submitted) {}

  /**
   * The rule that keeps opinions independent, for a reviewer of this node and a partner's alike: the
   * others' opinions only once the seat has given its own; the chair sees them as they come.
   */
  static Visible visible(Connection c, ReviewAccess.Seat seat, String caseId) throws SQLException {
    List<ReviewSql.Opinion> opinions = ReviewSql.opinions(c, caseId);
    ReviewSql.Opinion mine = opinions.stream().filter(o -> o.appointmentId().equals(seat.appointmentId())).findFirst()
        .orElse(null);
    boolean seesOthers = mine != null || seat.chair();
    List<Named> others = new java.util.ArrayList<>();
    if (seesOthers) {
      for (ReviewSql.Opinion o : opinions) {
        if (!o.appointmentId().equals(seat.appointmentId())) {
          others.add(new Named(ReviewSql.appointment(c, o.appointmentId()).map(ReviewSql.Appointment::displayName)
              .orElse(""), o));
        }
      }
    }
    return new Visible(mine, seesOthers, List.copyOf(others), opinions.size());
  }

  /** Work done in an opinion's own write (the views for partner reviewers' nodes queued). */
  interface OpinionHook {
    void recorded(Connection c, ReviewSql.Session s) throws SQLException;
  }

  private OpinionHook onOpinion = (c, s) -> { };
  private Runnable afterOpinion = () -> { };

  /** {@code hook} runs in each opinion's write, {@code after} once it is committed. */
  void onOpinion(OpinionHook hook, Runnable after) {
    this.onOpinion = hook;
    this.afterOpinion = after;
  }

  /**
   * Records or replaces the caller's opinion on a case, before the session's deadline only. The seat is
   * checked before the content, so whoever is not on the panel learns nothing from a refusal.
   */
  Future<JsonObject> submit(String userId, String caseId, JsonObject body) {
    return access.audited(record(access.nodeName(), userId, null, caseId, body, userId), userId, "review.opinion",
        "review_case:" + caseId);
  }

  /**
   * A partner reviewer's opinion, sent by her node: the same checks and the same row as a local
   * reviewer's, and the case must be on the session her node named.
   */
  Future<JsonObject> submitFromPartner(String node, String userId, String sessionId, String caseId, JsonObject body) {
    return record(node, userId, sessionId, caseId, body, "node:" + node);
  }

  private Future<JsonObject> record(String node, String userId, String sessionId, String caseId, JsonObject body,
      String actor) {
    Instant now = Instant.now(services.clock());
    return services.database().write(c -> {
      ReviewAccess.CaseSeat seat = access.caseSeatOf(c, node, userId, caseId);
      if (sessionId != null && !seat.kase().sessionId().equals(sessionId)) {
        throw CodedException.invalid("review.partner_session_mismatch", "the case is not on the session named");
      }
      ReviewSql.Session s = seat.seat().session();
      if (now.isAfter(Instant.parse(s.deadline())) || s.confirmedAt() != null) {
        throw CodedException.conflict("review.deadline_passed", "事前審査の締切を過ぎています。");
      }
      ReviewSql.Opinion o = opinion(body, seat, now);
      ReviewSql.upsertOpinion(c, o);
      onOpinion.recorded(c, s);
      audit.append(c, AuditEvent.success(actor, "review.opinion_submitted", "review_case:" + caseId,
          new JsonObject().put("agrees", o.agrees()).put("node", node).put("user", userId)));
      return opinionJson(o);
    }).onSuccess(json -> afterOpinion.run());
  }

  private static ReviewSql.Opinion opinion(JsonObject body, ReviewAccess.CaseSeat seat, Instant now) {
    boolean agrees = Boolean.TRUE.equals(body.getValue("agrees"));
    String reason = ReviewInput.text(body, "reason");
    int months = ReviewInput.integer(body, "months", MIN_MONTHS, MAX_MONTHS, "review.invalid_months",
        "有効期間は" + MIN_MONTHS + "〜" + MAX_MONTHS + "か月で入力してください。");
    String first = seat.kase().firstLevel();
    Level changed = agrees ? null : Level.required(ReviewInput.text(body, "level"));
    if (changed != null && changed.code().equals(first)) {
      throw CodedException.invalid("review.invalid_level", "変更後の要介護度が一次判定と同じです。");
    }
    if (!agrees && !REASONS.containsKey(reason)) {
      throw CodedException.invalid("review.reason_required", "一次判定を変更する理由を選んでください。");
    }
    return new ReviewSql.Opinion(seat.kase().id(), seat.seat().appointmentId(), agrees,
        agrees ? first : changed.code(), agrees ? "" : reason, months, ReviewInput.text(body, "comment"),
        now.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  static JsonObject opinionJson(ReviewSql.Opinion o) {
    return new JsonObject().put("agrees", o.agrees()).put("level", o.level()).put("levelLabel", Level.label(o.level()))
        .put("reason", o.reason()).put("reasonLabel", REASONS.getOrDefault(o.reason(), "")).put("months", o.months())
        .put("comment", o.comment()).put("submittedAt", o.submittedAt());
  }

  static JsonArray reasons() {
    JsonArray out = new JsonArray();
    REASONS.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.add(new JsonObject().put("code", e.getKey()).put("label", e.getValue())));
    return out;
  }
}
