package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.federation.Federation;

/**
 * Team replication as the care feature sees it ({@link TeamReplication}): its members' writes become
 * signed team events in the write's own transaction ({@link TeamLog}), a board starts being shared
 * when its first partner's professional is invited, and partners' professionals are described as
 * their own nodes described them. Built before the care feature, which it serves, and handed to the
 * team sync engine, which delivers what it logs.
 */
public final class SharedBoards implements TeamReplication {

  private final NodeServices services;
  private final Federation federation;
  private final Predicate<String> careTeamPartner;
  private final TeamLog log;
  private final RecoveringBoards recovering = new RecoveringBoards();
  /** Whether a board may be waiting for its history (true at start: a restart may have cut one short). */
  private final AtomicBoolean historyPending = new AtomicBoolean(true);

  public SharedBoards(NodeServices services, Federation federation, Predicate<String> careTeamPartner,
      TeamData data) {
    this.services = services;
    this.federation = federation;
    this.careTeamPartner = careTeamPartner;
    this.log = new TeamLog(services.keys().identity(), data, services.clock(), () -> historyPending.set(true),
        recovering, new EventSigner(services.database(), services.keys().identity()));
  }

  TeamLog log() {
    return log;
  }

  /** The boards held while this node takes back events its partners hold beyond its log. */
  RecoveringBoards recovering() {
    return recovering;
  }

  /** Whether a history was begun since the last call (and forgets it). */
  boolean takeHistoryPending() {
    return historyPending.getAndSet(false);
  }

  /** A pass over the histories failed: try again at the next sweep. */
  void historyStillPending() {
    historyPending.set(true);
  }

  @Override
  public void record(Connection c, String boardId, TeamReplication.Drafting draft) throws SQLException {
    log.record(c, boardId, draft);
  }

  @Override
  public String takesPartInSharing() {
    return TeamLogSql.TAKES_PART_IN_SHARING;
  }

  @Override
  public void share(Connection c, String boardId) throws SQLException {
    log.share(c, boardId);
  }

  @Override
  public Predicate<String> careTeamPartner() {
    return careTeamPartner;
  }

  @Override
  public JsonObject partnerProfile(String federatedId) {
    return federation.partnerProfiles().of(federatedId).map(entry -> {
      String[] name = entry.name().split(" ", 2);
      return new JsonObject().put("id", federatedId).put("familyName", name[0])
          .put("givenName", name.length > 1 ? name[1] : "").put("familyKana", "").put("givenKana", "")
          .put("profession", entry.profession()).put("facility", entry.facility() == null ? "" : entry.facility());
    }).orElse(null);
  }

  /**
   * Where people of a node are: this node's municipalities, or those a partner's party in any agreement
   * held here names (a past agreement still says where a former partner's professional worked).
   */
  @Override
  public Places places() {
    return new Places(node -> {
      if (node.equals(services.config().node().name())) {
        return services.config().node().municipalities();
      }
      return federation.agreements().current().documents().stream().map(d -> d.agreement().party(node))
          .flatMap(Optional::stream).findFirst()
          .map(card -> card.profile().municipalities().stream().map(code -> code.value()).toList())
          .orElse(List.<String>of());
    });
  }
}
