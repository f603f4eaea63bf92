package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.storage.Database;

/**
 * The reviewer's node: the opinions of a partner's session as the home lets her see them (her own; the
 * others' on a case once she has given hers, or all as they come when she chairs). The home decides what
 * she may see, by the same rule as for its own reviewers; this node keeps the latest signed view, checked
 * first (scope, signer, clock, addressed here, she a professional here, the session's copies held here for
 * her, every case one of them), and deletes it with the session's copies.
 */
public final class PartnerOpinions {

  private final Database database;
  private final AuditLog audit;
  private final Professionals professionals;
  private final SignedMessages signed;

  /** @param granted whether a node shares an active agreement with the {@code certification-review} scope now */
  public PartnerOpinions(Database database, AuditLog audit, Professionals professionals,
      jp.tsunagu.node.federation.Federation federation, java.util.function.Predicate<String> granted) {
    this.database = database;
    this.audit = audit;
    this.professionals = professionals;
    this.signed = new SignedMessages(federation, granted);
  }

  /**
   * Verifies a view signed by {@code caller} (the home) and keeps it unless a newer one is held; answers
   * whether it replaced what was held. A refusal fails with its code and stores nothing.
   */
  Future<Boolean> receive(String caller, String compact) {
    ReviewExchange.OpinionsView view;
    try {
      view = signed.verified(caller, compact, trust -> ReviewExchange.OpinionsView.verify(compact, trust),
          ReviewExchange.OpinionsView::node, ReviewExchange.OpinionsView::issuedAt);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (!view.partner().equals(signed.self())) {
      return Future.failedFuture(PartnerErrors.notForUs("addressed to " + view.partner()));
    }
    return professionals.find(view.reviewer()).compose(found -> found.isEmpty()
        ? Future.failedFuture(PartnerErrors.reviewerUnknown())
        : database.write(c -> store(c, view)));
  }

  private boolean store(Connection c, ReviewExchange.OpinionsView v) throws SQLException {
    Set<String> held = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement("select case_id from review_partner_cases where home_node = ?"
        + " and session_id = ? and reviewer_id = ?")) {
      bind(s, v.node(), v.sessionId(), v.reviewer());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          held.add(r.getString(1));
        }
      }
    }
    if (held.isEmpty()) {
      throw PartnerErrors.notOnPanel();
    }
    if (!v.cases().stream().allMatch(k -> held.contains(k.caseId()))) {
      throw PartnerErrors.sessionMismatch();
    }
    try (PreparedStatement s = c.prepareStatement("select max(issued_at) from review_partner_opinion_views"
        + " where home_node = ? and session_id = ? and reviewer_id = ?")) {
      bind(s, v.node(), v.sessionId(), v.reviewer());
      try (ResultSet r = s.executeQuery()) {
        if (r.next() && r.getString(1) != null && !Instant.parse(r.getString(1)).isBefore(v.issuedAt())) {
          return false; // a newer view (or this one) is already held: the late one changes nothing
        }
      }
    }
    delete(c, v.node(), v.sessionId(), v.reviewer());
    for (ReviewExchange.CaseOpinions k : v.cases()) {
      try (PreparedStatement s = c.prepareStatement("insert into review_partner_opinion_views (home_node,"
          + " session_id, reviewer_id, case_id, others_visible, issued_at) values (?, ?, ?, ?, ?, ?)")) {
        bind(s, v.node(), v.sessionId(), v.reviewer(), k.caseId(), k.othersVisible() ? 1 : 0,
            v.issuedAt().toString());
        s.executeUpdate();
      }
      int ordinal = 0;
      if (k.mine() != null) {
        insert(c, v, k.caseId(), ordinal++, true, k.mine());
      }
      // The home sends the others only when she may see them; a view that says otherwise is not trusted.
      if (k.othersVisible()) {
        for (ReviewExchange.OpinionEntry o : k.others()) {
          insert(c, v, k.caseId(), ordinal++, false, o);
        }
      }
    }
    audit.append(c, AuditEvent.success("node:" + v.node(), "review.partner.opinions_received",
        "review_partner_session:" + v.node() + "/" + v.sessionId(), new JsonObject().put("reviewer", v.reviewer())
            .put("cases", v.cases().size())));
    return true;
  }

  /**
   * After her opinion: the home's answer carries her view of the session, signed; kept with the same
   * checks as a view sent later. Her case as her screen now shows it is the answer (a view refused leaves
   * what was held, and the refusal is audited).
   */
  Future<JsonObject> afterOpinion(String userId, String home, String sessionId, String caseId, JsonObject answer) {
    Future<Boolean> kept = answer.getValue("view") instanceof String compact ? receive(home, compact)
        .recover(e -> audit.record(AuditEvent.refused("node:" + home, "review.partner.opinions",
            "partner_node:" + home, new JsonObject().put("reason", e instanceof jp.tsunagu.node.errors.CodedException
                coded ? coded.code() : "review.partner_malformed"))).map(false)) : Future.succeededFuture(false);
    return kept.compose(x -> database.read(c -> addTo(c, home, sessionId, userId, new JsonObject().put("caseId",
        caseId)))).map(kase -> {
          JsonObject out = answer.copy();
          out.remove("view");
          return out.put("othersVisible", kase.getBoolean("othersVisible")).put("others", kase.getJsonArray("others"));
        });
  }

  /** Adds to a case as her screen shows it: her opinion ({@code mine}), whether she sees the others', theirs. */
  static JsonObject addTo(Connection c, String home, String session, String reviewer, JsonObject kase)
      throws SQLException {
    String caseId = kase.getString("caseId");
    boolean visible = false;
    try (PreparedStatement s = c.prepareStatement("select others_visible from review_partner_opinion_views"
        + " where home_node = ? and session_id = ? and reviewer_id = ? and case_id = ?")) {
      bind(s, home, session, reviewer, caseId);
      try (ResultSet r = s.executeQuery()) {
        visible = r.next() && r.getInt(1) == 1;
      }
    }
    JsonObject mine = null;
    JsonArray others = new JsonArray();
    try (PreparedStatement s = c.prepareStatement("select mine, reviewer_name, agrees, level, reason, months,"
        + " comment, submitted_at from review_partner_opinions where home_node = ? and session_id = ?"
        + " and reviewer_id = ? and case_id = ? order by ordinal")) {
      bind(s, home, session, reviewer, caseId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          JsonObject o = new JsonObject().put("reviewer", r.getString(2)).put("agrees", r.getInt(3) == 1)
              .put("level", r.getString(4)).put("reason", r.getString(5)).put("months", r.getInt(6))
              .put("comment", r.getString(7)).put("submittedAt", r.getString(8));
          if (r.getInt(1) == 1) {
            mine = o;
          } else {
            others.add(o);
          }
        }
      }
    }
    return kase.put("mine", mine).put("othersVisible", visible).put("others", visible ? others : new JsonArray());
  }

  private static void insert(Connection c, ReviewExchange.OpinionsView v, String caseId, int ordinal, boolean mine,
      ReviewExchange.OpinionEntry o) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into review_partner_opinions (home_node, session_id,"
        + " reviewer_id, case_id, ordinal, mine, reviewer_name, agrees, level, reason, months, comment,"
        + " submitted_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bind(s, v.node(), v.sessionId(), v.reviewer(), caseId, ordinal, mine ? 1 : 0, o.reviewerName(),
          o.agrees() ? 1 : 0, o.level(), o.reason(), o.months(), o.comment(), o.submittedAt());
      s.executeUpdate();
    }
  }

  /** The session's opinions held for her: removed with her copies, and before a newer view. */
  static void delete(Connection c, String home, String session, String reviewer) throws SQLException {
    for (String table : new String[] {"review_partner_opinions", "review_partner_opinion_views"}) {
      try (PreparedStatement s = c.prepareStatement("delete from " + table
          + " where home_node = ? and session_id = ? and reviewer_id = ?")) {
        bind(s, home, session, reviewer);
        s.executeUpdate();
      }
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}
