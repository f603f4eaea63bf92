package jp.tsunagu.node.teamsync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.federation.envelope.VerifiedEvent;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.node.care.CareErrors;
import jp.tsunagu.node.care.teams.Member;
import jp.tsunagu.node.care.timeline.Post;
import jp.tsunagu.node.care.replication.TeamData;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.care.replication.TeamReplication;
import jp.tsunagu.node.feature.BoardHistory;

/**
 * Turns the writes of this node's members into team events, inside the write's own transaction. On a
 * board homed here that is shared with a partner, the event is given the board's next sequence number
 * and stored in the team log; {@link EventSigner} signs and countersigns it after the commit, off the
 * database writer. On a replica
 * it is put in the outbox for the home node, signed by {@link EventSigner} after the commit too (a new
 * post then shows as 送信待ち).
 * A board is shared from the first invitation of a partner's professional: its current state is
 * then written to the log as events, so partners receive the team's history: the patient and the
 * members at once, the posts in chunks of {@link #SHARE_CHUNK}, then the features' records (doses,
 * meetings) in chunks of {@link #RECORD_CHUNK}, each chunk its own transaction.
 */
final class TeamLog {

  private final NodeIdentity identity;
  private final TeamData data;
  private final TeamEvents events;
  private final Clock clock;
  private final Runnable historyStarted;
  private final RecoveringBoards recovering;
  private final EventSigner signer;

  /**
   * @param historyStarted told when a board's history begins, to be written in chunks after the commit
   * @param recovering the boards on which no new seq may be given now (a partner may hold it already)
   */
  TeamLog(NodeIdentity identity, TeamData data, Clock clock, Runnable historyStarted, RecoveringBoards recovering,
      EventSigner signer) {
    this.identity = identity;
    this.data = data;
    this.events = data.events();
    this.clock = clock;
    this.historyStarted = historyStarted;
    this.recovering = recovering;
    this.signer = signer;
  }

  EventSigner signer() {
    return signer;
  }

  TeamEvents events() {
    return events;
  }

  /** Posts whose history one transaction of the first sharing writes. */
  static final int SHARE_CHUNK = 100;

  /** {@link #record(Connection, String, TeamReplication.Drafting)} with the event already made. */
  void record(Connection c, String boardId, TeamEvents.Draft draft) throws SQLException {
    record(c, boardId, ignored -> draft);
  }

  /** Records what a local member just did on a board, if the board takes part in sync. */
  void record(Connection c, String boardId, TeamReplication.Drafting drafting) throws SQLException {
    // one read for where the board is homed, its latest seq and its sharing progress (was three)
    TeamLogSql.BoardLog log = TeamLogSql.boardLog(c, boardId).orElseThrow(CareErrors::notFound);
    TeamLogSql.BoardHome board = log.home();
    if (board.local()) {
      long latest = log.latestSeq();
      if (latest > 0) {
        Optional<TeamEvents.Draft> shared = aboutSharedPosts(c, boardId, drafting.draft(c), log.sharing());
        if (shared.isPresent()) {
          // nothing in between logged an event: the board's next number follows the one just read
          Event event = event(boardId, shared.get(), identity.name());
          sequence(c, boardId, latest + 1, event, null, CanonicalJson.write(event.toJson()));
        }
      }
      return;
    }
    String home = board.homeNode().orElseThrow();
    TeamEvents.Draft draft = drafting.draft(c);
    Event event = event(boardId, draft, home);
    OutboxSql.insertUnsignedOutbox(c, event.id(), boardId, home, CanonicalJson.write(event.toJson()), now(),
        signer.sequenced(c));
    if (draft.type().equals(TeamEvents.POST)) {
      data.markPostPending(c, draft.targets().get(0), boardId);
    }
  }

  /**
   * Sequences a local member's event on a board homed here; {@link EventSigner} signs it as its origin and
   * countersigns it after the commit, off the writer.
   */
  private void append(Connection c, String boardId, TeamEvents.Draft draft) throws SQLException {
    Event event = event(boardId, draft, identity.name());
    sequence(c, boardId, event, null, CanonicalJson.write(event.toJson()));
  }

  /**
   * Gives a partner's verified event the board's next number and stores it; its countersignature is made
   * after the commit ({@link EventSigner#whenSigned}). Returns the seq.
   */
  long sequence(Connection c, String boardId, VerifiedEvent verified) throws SQLException {
    return sequence(c, boardId, verified.event(), verified.compact(), null);
  }

  /**
   * Never on a board held by {@link RecoveringBoards}: its next number may be one a partner holds.
   * Exactly one of {@code originEnvelope} (a partner's) and {@code unsignedEvent} (this node's) is given.
   */
  private long sequence(Connection c, String boardId, Event event, String originEnvelope, String unsignedEvent)
      throws SQLException {
    return sequence(c, boardId, TeamLogSql.latestSeq(c, boardId) + 1, event, originEnvelope, unsignedEvent);
  }

  /** {@link #sequence} at the board's next number, already read in this transaction. */
  private long sequence(Connection c, String boardId, long seq, Event event, String originEnvelope,
      String unsignedEvent) throws SQLException {
    recovering.requireSequencing(boardId);
    Instant at = clock.instant();
    TeamLogSql.insertUnsigned(c, boardId, seq, event.id(), event.type(), event.origin(), at.toString(),
        originEnvelope, unsignedEvent, signer.sequenced(c));
    if (event.type().equals(TeamEvents.MEMBER) && !"active".equals(event.data().get("status"))) {
      TeamLogSql.membershipEnded(c, boardId, String.valueOf(event.data().get("member")), seq);
    }
    return seq;
  }

  /**
   * Puts back an event this node sequenced and countersigned before (a partner gave it back after a
   * restore lost it) at its original seq, with what {@link #sequence} records beside it.
   */
  void restore(Connection c, String boardId, SequencedEvent event) throws SQLException {
    Event origin = event.origin().event();
    TeamLogSql.insertEvent(c, boardId, event.sequence(), origin.id(), origin.type(), origin.origin(),
        event.compact(), event.acceptedAt().toString());
    if (origin.type().equals(TeamEvents.MEMBER) && !"active".equals(origin.data().get("status"))) {
      TeamLogSql.membershipEnded(c, boardId, String.valueOf(origin.data().get("member")), event.sequence());
    }
  }

  private Event event(String boardId, TeamEvents.Draft draft, String home) {
    List<String> targets = new ArrayList<>();
    targets.add(boardId);
    draft.targets().stream().filter(t -> !targets.contains(t)).forEach(targets::add);
    return new Event(UUID.randomUUID().toString(), draft.type(), identity.name(), home, targets, clock.instant(),
        EventData.plain(draft.data()));
  }

  /**
   * Starts the log of a board homed here (once): the patient and the members now; the posts follow
   * in chunks ({@link #shareNext}). Until then, what is done to a post not yet in the log is not
   * logged on its own: the chunk that carries the post carries its state at that moment.
   */
  void share(Connection c, String boardId) throws SQLException {
    if (TeamLogSql.latestSeq(c, boardId) > 0) {
      return;
    }
    append(c, boardId, events.opened(c, boardId));
    for (Member member : data.members(c, boardId)) {
      append(c, boardId, events.invited(c, boardId, member.userId()));
      if (member.active()) {
        append(c, boardId, events.member(c, boardId, member.userId(), member.userId()));
      }
    }
    TeamLogSql.startSharing(c, boardId);
    historyStarted.run();
  }

  /**
   * Writes the next chunk of a board's history: up to {@link #SHARE_CHUNK} posts, each with its
   * comments and read receipts, in the board's order; deleted posts travel without their text.
   * Posts written meanwhile are carried the same way, in their turn, so partners receive the posts in
   * the home node's order. The chunk that finds no more posts lists the features' records of the
   * board ({@code histories}); the records' events follow, {@link #RECORD_CHUNK} records per chunk.
   * The history is complete (and writes are logged one by one again) in the transaction of the chunk
   * that finds no more records. Returns whether more remains.
   */
  boolean shareNext(Connection c, String boardId, Map<String, BoardHistory> histories) throws SQLException {
    Optional<TeamLogSql.Sharing> progress = TeamLogSql.sharing(c, boardId);
    if (progress.isEmpty()) {
      return false;
    }
    if (progress.get().recordsListed()) {
      return shareRecords(c, boardId, histories);
    }
    long done = progress.get().donePostSeq();
    List<Post> posts = data.postsAfter(c, boardId, done, SHARE_CHUNK);
    for (Post post : posts) {
      sharePost(c, boardId, post.id());
      done = post.seq();
    }
    if (posts.size() == SHARE_CHUNK) {
      TeamLogSql.shared(c, boardId, Optional.of(done));
      return true;
    }
    TeamLogSql.shared(c, boardId, Optional.of(done));
    List<TeamLogSql.HistoryRecord> records = new ArrayList<>();
    for (BoardHistory history : histories.values()) {
      for (String recordId : history.records(c, boardId)) {
        records.add(new TeamLogSql.HistoryRecord(records.size() + 1, history.name(), recordId));
      }
    }
    TeamLogSql.listRecords(c, boardId, records);
    if (records.isEmpty()) {
      TeamLogSql.shared(c, boardId, Optional.empty());
      return false;
    }
    return true;
  }

  /** Records whose events one transaction of the first sharing writes. */
  static final int RECORD_CHUNK = 50;

  /** Writes the events of the board's next listed records; returns whether more remain. */
  private boolean shareRecords(Connection c, String boardId, Map<String, BoardHistory> histories)
      throws SQLException {
    List<TeamLogSql.HistoryRecord> records = TeamLogSql.nextRecords(c, boardId, RECORD_CHUNK);
    for (TeamLogSql.HistoryRecord record : records) {
      BoardHistory history = histories.get(record.history());
      // A feature the node no longer has leaves its listed records behind: there is nothing to say of them.
      List<BoardHistory.Event> recordEvents = history == null ? List.of()
          : history.events(c, boardId, record.recordId());
      for (BoardHistory.Event event : recordEvents) {
        if (ownAuthor(event)) {
          append(c, boardId, new TeamEvents.Draft(event.type(), event.targets(), event.data()));
        }
      }
      TeamLogSql.recordLogged(c, boardId, record.position());
    }
    boolean more = records.size() == RECORD_CHUNK;
    if (!more) {
      TeamLogSql.shared(c, boardId, Optional.empty());
    }
    return more;
  }

  /**
   * Whether the event's author is a professional of this node: only those this node may sign for (a
   * partner's node refuses any other, {@code sync.author_not_origin}, and the feed would stop there).
   */
  private boolean ownAuthor(BoardHistory.Event event) {
    Object author = event.data().getValue("author");
    return author instanceof io.vertx.core.json.JsonObject profile && profile.getValue("id") instanceof String id
        && FederatedId.tryParse(id).map(f -> f.node().equals(identity.name())).orElse(false);
  }

  /**
   * The draft as far as it concerns what partners already have: whole, or without the posts the
   * history has not reached yet (a read receipt over several posts), or nothing. While a board's first
   * sharing is under way, its posts up to the chunk logged last are in the log; once its posts are all
   * logged and its features' records are being written, a write is logged unless it names a record
   * still waiting for its turn (that turn carries it). A board whose history is complete (no
   * {@code board_sharing} row: nearly every write) costs nothing more: {@code sharing} was read with the board.
   */
  private Optional<TeamEvents.Draft> aboutSharedPosts(Connection c, String boardId, TeamEvents.Draft draft,
      Optional<TeamLogSql.Sharing> sharing) throws SQLException {
    if (draft.targets().isEmpty() || sharing.isEmpty()) {
      return Optional.of(draft);
    }
    if (sharing.get().recordsListed()) {
      return TeamLogSql.anyRecordWaiting(c, boardId, draft.targets()) ? Optional.empty() : Optional.of(draft);
    }
    long done = sharing.get().donePostSeq();
    List<String> shared = new ArrayList<>();
    for (String postId : draft.targets()) {
      if (data.post(c, postId).map(post -> post.seq() <= done).orElse(false)) {
        shared.add(postId);
      }
    }
    if (shared.size() == draft.targets().size()) {
      return Optional.of(draft);
    }
    if (shared.isEmpty() || !draft.type().equals(TeamEvents.READ)) {
      return Optional.empty();
    }
    return Optional.of(new TeamEvents.Draft(draft.type(), shared, draft.data().copy()
        .put("postIds", new io.vertx.core.json.JsonArray(new ArrayList<>(shared)))));
  }

  private void sharePost(Connection c, String boardId, String postId) throws SQLException {
    append(c, boardId, events.post(c, postId));
    for (String commentId : data.commentIds(c, postId)) {
      append(c, boardId, events.comment(c, commentId));
    }
    for (TeamData.Read read : data.reads(c, postId)) {
      append(c, boardId, events.read(c, read.userId(), List.of(postId), read.readAt()));
    }
    if (data.post(c, postId).map(Post::deleted).orElse(false)) {
      append(c, boardId, events.deleted(c, postId));
    }
  }

  private String now() {
    return clock.instant().toString();
  }
}
