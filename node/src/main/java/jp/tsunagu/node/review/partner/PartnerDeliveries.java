package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.storage.Database;

/**
 * Deliveries to partner nodes that must not be lost: a row is written with the release, the opinion or
 * the purge that causes it, and stays until the partner answers {@code ok}. A partner that is down or
 * answers with a passing failure is tried again after a wait that doubles each time (one minute, capped
 * at a day), so a deletion order reaches a node that was stopped when the home purged. A refusal that
 * no retry can change ({@link #FOR_GOOD}) gives the delivery up: it is audited, kept with its reason for
 * the secretariat's session screen, and sent again only when the secretariat releases the session anew.
 */
public final class PartnerDeliveries {

  public static final String PACKAGE = "package";
  public static final String DELETION = "deletion";
  public static final String OPINIONS = "opinions";
  /**
   * The answers that no retry changes: the agreement ended or no longer grants the scope (on either
   * side), the reviewer is no professional of that node, the node is not the one addressed, the message
   * is malformed to it, or it holds no copies of the session for her (a view of opinions).
   */
  static final java.util.Set<String> FOR_GOOD = java.util.Set.of("federation.scope_not_granted",
      "review.partner_reviewer_unknown", "review.partner_wrong_recipient", "review.partner_malformed",
      "review.partner_not_on_panel");
  static final Duration FIRST_WAIT = Duration.ofMinutes(1);
  static final Duration LONGEST_WAIT = Duration.ofDays(1);

  /** One pending delivery. */
  public record Pending(String partner, String sessionId, String kind, int attempts, String nextTryAt) {}

  /** One delivery tried and the partner's answer code. */
  public record Sent(Pending delivery, String code) {}

  /** A delivery given up: to which node, what, the partner's code and when. */
  public record GivenUp(String partner, String kind, String code, String at) {

    /** As the secretariat's screen shows it: what could not be sent, and why, in Japanese. */
    public JsonObject json() {
      String what = switch (kind) {
        case PACKAGE -> "審査会資料";
        case DELETION -> "資料と意見の削除の指示";
        default -> "委員の意見の一覧";
      };
      String why = switch (code) {
        case "federation.scope_not_granted" -> "連携先との協定が終了したか、協定が介護認定審査を認めていません。";
        case "review.partner_reviewer_unknown" -> "審査委員が連携先ノードの専門職として登録されていません。";
        case "review.partner_wrong_recipient" -> "連携先ノードが宛先の誤りとして受け取りませんでした。";
        case "review.partner_not_on_panel" -> "連携先ノードにこの審査会の資料がありません。";
        default -> "連携先ノードが内容を受け付けませんでした（" + code + "）。";
      };
      return new JsonObject().put("partner", partner).put("kind", kind).put("code", code).put("givenUpAt", at)
          .put("message", "連携先 " + partner + " へ" + what + "を送れませんでした。" + why
              + "再送はしません。協定または任命を確認し、必要なら資料を公開し直してください。");
    }
  }

  private final Database database;
  private final AuditLog audit;

  public PartnerDeliveries(Database database, AuditLog audit) {
    this.database = database;
    this.audit = audit;
  }

  /** Records a delivery due at {@code due}, in the caller's transaction; a pending one of the kind is due anew. */
  public static void enqueue(Connection c, String partner, String sessionId, String kind, Instant due, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into review_partner_deliveries (partner_node,"
        + " session_id, kind, next_try_at, created_at) values (?, ?, ?, ?, ?) on conflict do update set"
        + " next_try_at = excluded.next_try_at, attempts = 0, given_up_at = null")) {
      s.setString(1, partner);
      s.setString(2, sessionId);
      s.setString(3, kind);
      s.setString(4, due.toString());
      s.setString(5, now.toString());
      s.executeUpdate();
    }
  }

  /** A session being purged no longer needs its packages or views: only its deletion orders remain. */
  public static void dropPackages(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from review_partner_deliveries where session_id = ?"
        + " and kind <> 'deletion'")) {
      s.setString(1, sessionId);
      s.executeUpdate();
    }
  }

  /**
   * Sends every delivery due at {@code now}, one after the other; {@code send} answers the partner's code.
   * Answers each delivery tried with its code, in the order sent.
   */
  public Future<List<Sent>> deliverDue(Instant now, Function<Pending, Future<String>> send) {
    return database.read(c -> due(c, now)).compose(due -> {
      List<Sent> codes = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (Pending p : due) {
        chain = chain.compose(v -> send.apply(p).recover(e -> Future.succeededFuture("review.partner_unavailable"))
            .compose(code -> settle(p, code, now)).map(code -> {
              codes.add(new Sent(p, code));
              return null;
            }));
      }
      return chain.map(codes);
    });
  }

  private Future<String> settle(Pending p, String code, Instant now) {
    String target = "review_session:" + p.sessionId();
    return database.write(c -> {
      if (code.equals("ok")) {
        // Only the row as it was read: queued anew meanwhile (an opinion given while a view was on its
        // way), it stays due and goes again with what changed.
        try (PreparedStatement s = c.prepareStatement("delete from review_partner_deliveries where partner_node = ?"
            + " and session_id = ? and kind = ? and next_try_at = ?")) {
          bind(s, p);
          s.setString(4, p.nextTryAt());
          s.executeUpdate();
        }
        if (p.attempts() > 0) {
          audit.append(c, AuditEvent.success("review-exchange", "review.partner.delivery_confirmed", target,
              new JsonObject().put("partner", p.partner()).put("kind", p.kind()).put("attempts", p.attempts() + 1)));
        }
      } else if (FOR_GOOD.contains(code)) {
        try (PreparedStatement s = c.prepareStatement("update review_partner_deliveries set attempts = attempts + 1,"
            + " last_code = ?, given_up_at = ? where partner_node = ? and session_id = ? and kind = ?")) {
          s.setString(1, code);
          s.setString(2, now.toString());
          s.setString(3, p.partner());
          s.setString(4, p.sessionId());
          s.setString(5, p.kind());
          s.executeUpdate();
        }
        audit.append(c, AuditEvent.refused("review-exchange", "review.partner.delivery_failed", target,
            new JsonObject().put("partner", p.partner()).put("kind", p.kind()).put("attempts", p.attempts() + 1)
                .put("reason", code)));
      } else {
        Instant next = now.plus(wait(p.attempts() + 1));
        try (PreparedStatement s = c.prepareStatement("update review_partner_deliveries set attempts = attempts + 1,"
            + " next_try_at = ?, last_code = ? where partner_node = ? and session_id = ? and kind = ?")) {
          s.setString(1, next.toString());
          s.setString(2, code);
          s.setString(3, p.partner());
          s.setString(4, p.sessionId());
          s.setString(5, p.kind());
          s.executeUpdate();
        }
        audit.append(c, AuditEvent.refused("review-exchange", "review.partner.delivery_pending", target,
            new JsonObject().put("partner", p.partner()).put("kind", p.kind()).put("attempts", p.attempts() + 1)
                .put("reason", code).put("nextTryAt", next.toString())));
      }
      return code;
    });
  }

  /** The wait after the n-th failed attempt: one minute, doubled each time, at most a day. */
  static Duration wait(int failures) {
    Duration d = FIRST_WAIT.multipliedBy(1L << Math.min(failures - 1, 20));
    return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d;
  }

  /** When the next delivery not given up is due (empty when none waits), for the delivery timer. */
  public Future<java.util.Optional<Instant>> nextDue() {
    return database.read(c -> {
      Instant first = null;
      try (PreparedStatement s = c.prepareStatement("select next_try_at from review_partner_deliveries"
          + " where given_up_at is null"); ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Instant at = Instant.parse(r.getString(1));
          first = first == null || at.isBefore(first) ? at : first;
        }
      }
      return java.util.Optional.ofNullable(first);
    });
  }

  /** The session's deliveries given up, for the secretariat. */
  public static List<GivenUp> givenUp(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select partner_node, kind, last_code, given_up_at"
        + " from review_partner_deliveries where session_id = ? and given_up_at is not null order by given_up_at")) {
      s.setString(1, sessionId);
      List<GivenUp> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new GivenUp(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
        }
      }
      return out;
    }
  }

  /** How many deliveries are given up, per session, for the secretariat's list. */
  public static java.util.Map<String, Integer> givenUpBySession(Connection c) throws SQLException {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select session_id, count(*) from review_partner_deliveries"
        + " where given_up_at is not null group by session_id"); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.put(r.getString(1), r.getInt(2));
      }
    }
    return out;
  }

  private static List<Pending> due(Connection c, Instant now) throws SQLException {
    // Compared as instants, not as text: times written with and without fractions of a second do not sort
    // as text. Deletions first: a package of a purged session must never follow its deletion; packages
    // before views of opinions, which her node accepts only for a session it holds.
    try (PreparedStatement s = c.prepareStatement("select partner_node, session_id, kind, attempts, next_try_at"
        + " from review_partner_deliveries where given_up_at is null order by case kind when 'deletion' then 0"
        + " when 'package' then 1 else 2 end")) {
      List<Pending> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (!Instant.parse(r.getString(5)).isAfter(now)) {
            out.add(new Pending(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getString(5)));
          }
        }
      }
      return out;
    }
  }

  private static void bind(PreparedStatement s, Pending p) throws SQLException {
    s.setString(1, p.partner());
    s.setString(2, p.sessionId());
    s.setString(3, p.kind());
  }
}
