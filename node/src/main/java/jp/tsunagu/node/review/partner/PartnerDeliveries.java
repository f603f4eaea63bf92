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
 * Deliveries to partner nodes that must not be lost: a row is written with the release or the purge
 * that causes it, and stays until the partner answers {@code ok}. A partner that is down or refuses
 * is tried again after a wait that doubles each time (one minute, capped at a day), so a deletion
 * order reaches a node that was stopped when the home purged.
 */
public final class PartnerDeliveries {

  public static final String PACKAGE = "package";
  public static final String DELETION = "deletion";
  static final Duration FIRST_WAIT = Duration.ofMinutes(1);
  static final Duration LONGEST_WAIT = Duration.ofDays(1);

  /** One pending delivery. */
  public record Pending(String partner, String sessionId, String kind, int attempts) {}

  /** One delivery tried and the partner's answer code. */
  public record Sent(Pending delivery, String code) {}

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
        + " next_try_at = excluded.next_try_at, attempts = 0")) {
      s.setString(1, partner);
      s.setString(2, sessionId);
      s.setString(3, kind);
      s.setString(4, due.toString());
      s.setString(5, now.toString());
      s.executeUpdate();
    }
  }

  /** A session being purged no longer needs its packages: only its deletion orders remain. */
  public static void dropPackages(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from review_partner_deliveries where session_id = ?"
        + " and kind = 'package'")) {
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
        try (PreparedStatement s = c.prepareStatement("delete from review_partner_deliveries where partner_node = ?"
            + " and session_id = ? and kind = ?")) {
          bind(s, p);
          s.executeUpdate();
        }
        if (p.attempts() > 0) {
          audit.append(c, AuditEvent.success("review-exchange", "review.partner.delivery_confirmed", target,
              new JsonObject().put("partner", p.partner()).put("kind", p.kind()).put("attempts", p.attempts() + 1)));
        }
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

  private static List<Pending> due(Connection c, Instant now) throws SQLException {
    // Compared as instants, not as text: times written with and without fractions of a second do not sort
    // as text. Deletions first: a package of a purged session must never follow its deletion.
    try (PreparedStatement s = c.prepareStatement("select partner_node, session_id, kind, attempts, next_try_at"
        + " from review_partner_deliveries order by kind = 'package'")) {
      List<Pending> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (!Instant.parse(r.getString(5)).isAfter(now)) {
            out.add(new Pending(r.getString(1), r.getString(2), r.getString(3), r.getInt(4)));
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
