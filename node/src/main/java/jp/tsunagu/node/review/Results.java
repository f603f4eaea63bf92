package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.csv.CsvCells;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * 結果集約: per case, how many reviewers agree with the 一次判定, the spread of proposed levels and
 * periods and a flag where they disagree, so the meeting confirms the agreed cases at once and spends
 * its time on the rest; the chair's 二次判定; the result list for the insurance system (CSV in UTF-8 or
 * Shift_JIS) and as the PDF 審査会結果一覧, for the secretariat.
 */
final class Results {

  static final Charset SHIFT_JIS = Charset.forName("windows-31j");
  static final List<String> CSV_HEADER = List.of("事例番号", "被保険者番号", "氏名", "審査会日", "合議体", "一次判定",
      "二次判定", "有効期間（月）", "付帯意見");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;

  Results(NodeServices services, AuditLog audit, ReviewAccess access) {
    this.services = services;
    this.audit = audit;
    this.access = access;
  }

  /** The aggregation for the chair (a reviewer route: anyone else on it gets 404). */
  Future<JsonObject> forChair(String userId, String sessionId) {
    Future<JsonObject> read = services.database().read(c -> {
      ReviewAccess.Seat seat = chairSeat(c, userId, sessionId);
      return aggregation(c, seat.session(), seat.panel(), false);
    });
    return access.audited(read, userId, "review.aggregation", "review_session:" + sessionId)
        .compose(json -> audited(userId, "review.aggregation.read", sessionId, json));
  }

  /** The aggregation for the secretariat, with the case numbers beside the labels. */
  Future<JsonObject> forSecretariat(String userId, String sessionId) {
    return services.database().read(c -> {
      ReviewSql.Session s = access.session(c, sessionId);
      return aggregation(c, s, ReviewSql.panel(c, s.panelId()).orElseThrow(), true);
    }).compose(json -> audited(userId, "review.aggregation.read", sessionId, json));
  }

  private JsonObject aggregation(Connection c, ReviewSql.Session s, ReviewSql.Panel panel, boolean withMapping)
      throws SQLException {
    int members = ReviewSql.members(c, panel.id()).size();
    JsonArray cases = new JsonArray();
    int agreedCases = 0;
    for (ReviewSql.Case k : ReviewSql.cases(c, s.id())) {
      List<ReviewSql.Opinion> opinions = ReviewSql.opinions(c, k.id());
      Map<String, Integer> levels = new TreeMap<>();
      Map<Integer, Integer> periods = new TreeMap<>();
      JsonArray detail = new JsonArray();
      for (ReviewSql.Opinion o : opinions) {
        levels.merge(o.level(), 1, Integer::sum);
        periods.merge(o.months(), 1, Integer::sum);
        detail.add(PreReview.opinionJson(o).put("reviewer", ReviewSql.appointment(c, o.appointmentId())
            .map(ReviewSql.Appointment::displayName).orElse("")));
      }
      long agree = opinions.stream().filter(ReviewSql.Opinion::agrees).count();
      boolean agreed = agreed(opinions, members);
      agreedCases += agreed ? 1 : 0;
      JsonObject levelSpread = new JsonObject();
      levels.forEach((level, n) -> levelSpread.put(Level.label(level), n));
      JsonObject periodSpread = new JsonObject();
      periods.forEach((m, n) -> periodSpread.put(String.valueOf(m), n));
      cases.add(Sessions.caseJson(panel, s, k, withMapping).put("opinions", detail).put("submitted", opinions.size())
          .put("agree", agree).put("levels", levelSpread).put("periods", periodSpread).put("agreed", agreed)
          .put("disagreement", !opinions.isEmpty() && (agree < opinions.size() || periods.size() > 1))
          .put("decided", k.secondLevel() != null));
    }
    return Sessions.sessionCore(s, panel).put("members", members).put("agreedCases", agreedCases).put("cases", cases);
  }

  /** Agreed: every member gave an opinion, all agree with the 一次判定 and propose one period. */
  private static boolean agreed(List<ReviewSql.Opinion> opinions, int members) {
    return members > 0 && opinions.size() >= members && opinions.stream().allMatch(ReviewSql.Opinion::agrees)
        && opinions.stream().map(ReviewSql.Opinion::months).distinct().count() == 1;
  }

  /** The chair confirms every agreed, undecided case in one step: 二次判定 = 一次判定, the agreed period. */
  Future<JsonObject> confirmAgreed(String userId, String sessionId) {
    String now = now();
    Future<JsonObject> write = services.database().write(c -> {
      ReviewAccess.Seat seat = chairSeat(c, userId, sessionId);
      requireOpen(seat.session());
      int members = ReviewSql.members(c, seat.panel().id()).size();
      int confirmed = 0;
      for (ReviewSql.Case k : ReviewSql.cases(c, sessionId)) {
        List<ReviewSql.Opinion> opinions = ReviewSql.opinions(c, k.id());
        if (k.secondLevel() == null && agreed(opinions, members)) {
          ReviewSql.decide(c, k.id(), k.firstLevel(), opinions.get(0).months(), "", userId, now);
          confirmed++;
        }
      }
      audit.append(c, AuditEvent.success(userId, "review.agreed_confirmed", "review_session:" + sessionId,
          new JsonObject().put("cases", confirmed)));
      return new JsonObject().put("confirmed", confirmed);
    });
    return access.audited(write, userId, "review.agreed_confirm", "review_session:" + sessionId);
  }

  /** The chair's 二次判定 of one case: level, 有効期間 and 付帯意見. */
  Future<JsonObject> decide(String userId, String caseId, JsonObject body) {
    String now = now();
    Future<JsonObject> write = services.database().write(c -> {
      ReviewAccess.CaseSeat seat = access.caseSeat(c, userId, caseId);
      if (!seat.seat().chair()) {
        throw ReviewAccess.notFound();
      }
      requireOpen(seat.seat().session());
      Level level = Level.required(ReviewInput.text(body, "level"));
      int months = ReviewInput.integer(body, "months", PreReview.MIN_MONTHS, PreReview.MAX_MONTHS,
          "review.invalid_months", "有効期間は" + PreReview.MIN_MONTHS + "〜" + PreReview.MAX_MONTHS + "か月です。");
      String remarks = ReviewInput.text(body, "remarks");
      ReviewSql.decide(c, caseId, level.code(), months, remarks, userId, now);
      audit.append(c, AuditEvent.success(userId, "review.decided", "review_case:" + caseId,
          new JsonObject().put("level", level.code()).put("months", months)));
      ReviewSql.Case k = ReviewSql.caseById(c, caseId).orElseThrow();
      return Sessions.caseJson(seat.seat().panel(), seat.seat().session(), k, false);
    });
    return access.audited(write, userId, "review.decision", "review_case:" + caseId);
  }

  /** The result list as CSV for the insurance system; {@code shiftJis} for Windows-31J. */
  Future<byte[]> csv(String userId, String sessionId, boolean shiftJis) {
    return rows(sessionId).compose(rows -> audited(userId, "review.results_exported", sessionId,
        CsvCells.table(CSV_HEADER, rows.rows())).map(text -> text.getBytes(shiftJis ? SHIFT_JIS
            : StandardCharsets.UTF_8)));
  }

  /** 審査会結果一覧 as PDF. */
  Future<byte[]> pdf(Vertx vertx, String userId, String sessionId) {
    return rows(sessionId).compose(rows -> vertx.executeBlocking(() -> render(rows)))
        .compose(bytes -> audited(userId, "review.results_printed", sessionId, bytes));
  }

  private record Rows(JsonObject session, List<List<String>> rows) {}

  private Future<Rows> rows(String sessionId) {
    return services.database().read(c -> {
      ReviewSql.Session s = access.session(c, sessionId);
      ReviewSql.Panel panel = ReviewSql.panel(c, s.panelId()).orElseThrow();
      String day = DAY.format(Instant.parse(s.startsAt()).atZone(ReviewAccess.JAPAN));
      List<List<String>> rows = new ArrayList<>();
      for (ReviewSql.Case k : ReviewSql.cases(c, sessionId)) {
        rows.add(List.of(k.caseNumber(), k.insuredNumber(), k.applicantName(), day, panel.name(),
            Level.label(k.firstLevel()), Level.label(k.secondLevel()),
            k.secondMonths() == null ? "" : String.valueOf(k.secondMonths()),
            k.secondRemarks() == null ? "" : k.secondRemarks()));
      }
      return new Rows(Sessions.sessionCore(s, panel).put("day", day), rows);
    });
  }

  private static byte[] render(Rows rows) {
    try {
      return PdfLines.render(JapanesePdfFont.find(JapanesePdfFont.systemFonts()), lines -> {
        lines.line("審査会結果一覧　" + rows.session().getString("panelName") + "　" + rows.session().getString("day"),
            14);
        lines.rule();
        for (List<String> row : rows.rows()) {
          lines.keepRoom(30);
          lines.line(row.get(0) + "　" + row.get(2) + "（被保険者番号 " + row.get(1) + "）", 10);
          lines.wrapped("一次判定 " + row.get(5) + " → 二次判定 " + (row.get(6).isEmpty() ? "未判定" : row.get(6))
              + (row.get(7).isEmpty() ? "" : "　有効期間 " + row.get(7) + "か月")
              + (row.get(8).isEmpty() ? "" : "　付帯意見：" + row.get(8)), 10, 12);
          lines.gap(4);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ReviewAccess.Seat chairSeat(Connection c, String userId, String sessionId) throws SQLException {
    ReviewAccess.Seat seat = access.seat(c, userId, sessionId);
    if (!seat.chair()) {
      throw ReviewAccess.notFound();
    }
    return seat;
  }

  private static void requireOpen(ReviewSql.Session s) {
    if (s.confirmedAt() != null) {
      throw CodedException.conflict("review.session_closed", "結果が確定した審査会は変更できません。");
    }
  }

  private <T> Future<T> audited(String userId, String action, String sessionId, T value) {
    return audit.record(AuditEvent.success(userId, action, "review_session:" + sessionId, null)).map(value);
  }

  private String now() {
    return Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
