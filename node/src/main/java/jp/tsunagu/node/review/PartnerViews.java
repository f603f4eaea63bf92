package jp.tsunagu.node.review;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.review.partner.PartnerSender;
import jp.tsunagu.node.storage.Database;

/**
 * The home's side of a partner reviewer's opinions: what she may see of a released session's opinions,
 * by {@link PreReview#visible}, the rule the home's own reviewers see them by, signed for her node. It
 * goes in the answer to her opinion and, through the deliveries, whenever an opinion on the session changes.
 */
final class PartnerViews {

  private final Database database;
  private final ReviewAccess access;
  private final PartnerSender sender;

  PartnerViews(Database database, ReviewAccess access, PartnerSender sender) {
    this.database = database;
    this.access = access;
    this.sender = sender;
  }

  /** Her view signed for her node; empty when she no longer sits on the panel or nothing is released. */
  Future<Optional<String>> signed(String node, String reviewer, String sessionId) {
    Instant now = sender.now();
    return database.read(c -> build(c, node, reviewer, sessionId, now))
        .map(view -> view.map(v -> v.sign(sender.identity())));
  }

  /** The views for every reviewer of {@code node} seated on the session's panel. */
  Future<List<ReviewExchange.OpinionsView>> forNode(String sessionId, String node) {
    Instant now = sender.now();
    return database.read(c -> {
      List<ReviewExchange.OpinionsView> out = new ArrayList<>();
      ReviewSql.Session s = ReviewSql.session(c, sessionId).orElse(null);
      if (s == null) {
        return out;
      }
      for (ReviewSql.Member m : ReviewSql.members(c, s.panelId())) {
        if (m.appointment().nodeId().equals(node)) {
          build(c, node, m.appointment().userId(), sessionId, now).ifPresent(out::add);
        }
      }
      return out;
    });
  }

  private Optional<ReviewExchange.OpinionsView> build(Connection c, String node, String reviewer, String sessionId,
      Instant now) throws SQLException {
    ReviewAccess.Seat seat;
    try {
      seat = access.seatOf(c, node, reviewer, sessionId);
    } catch (CodedException notSeated) {
      return Optional.empty();
    }
    ReviewSql.Session s = seat.session();
    if (s.releaseAt() == null || Instant.parse(s.releaseAt()).isAfter(now)) {
      return Optional.empty(); // her node holds no copies yet: the package brings the view with it
    }
    String name = seat.member().appointment().displayName();
    List<ReviewExchange.CaseOpinions> cases = new ArrayList<>();
    for (ReviewSql.Case k : ReviewSql.cases(c, sessionId)) {
      PreReview.Visible v = PreReview.visible(c, seat, k.id());
      cases.add(new ReviewExchange.CaseOpinions(k.id(), v.mine() == null ? null : entry(name, v.mine()),
          v.othersVisible(), v.others().stream().map(o -> entry(o.name(), o.opinion())).toList()));
    }
    return Optional.of(new ReviewExchange.OpinionsView(sender.self(), node, reviewer, sessionId, List.copyOf(cases),
        now));
  }

  private static ReviewExchange.OpinionEntry entry(String name, ReviewSql.Opinion o) {
    return new ReviewExchange.OpinionEntry(name, o.agrees(), o.level(), o.reason(), o.months(), o.comment(),
        o.submittedAt());
  }
}
