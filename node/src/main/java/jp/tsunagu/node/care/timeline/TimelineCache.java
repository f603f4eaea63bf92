package jp.tsunagu.node.care.timeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.TouchRow;
import jp.tsunagu.node.storage.TouchTable;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.teams.BoardKind;

/**
 * The first page of each board's timeline (its newest posts, no category filter), kept in memory as
 * ready JSON: professionals open their patients' timelines far more often than anyone writes to
 * them, and reading 50 posts with their comments, read receipts, recipients and attachments, then
 * encoding them, was most of the node's work per page.
 *
 * <p>Freshness does not depend on any route remembering to invalidate: triggers record every board
 * a write transaction changes (posts, comments, 既読, recipients, attachments, members, the board, a
 * recipient's name; see the {@code board_touches} migration), and the node's writer hands those
 * boards here after each durable commit, before the write is acknowledged. Each board has a version
 * that a change moves on; a page is used only while the version it was read under is current, and
 * that version is taken before the page is read, so a page can be newer than its version but never
 * older. A new read receipt (既読) is the exception: it is added to the page kept (its reader set,
 * from which 既読 N and "read by me" are rendered) and the page moves on to the board's new version
 * with it, so members reading their timelines do not send each other's next page to the database.
 * A member's own view (direct posts they may not see, 既読 by them) is applied per request.
 *
 * <p>A page also shows where its authors are (their facility's municipality, their home node), which
 * changes no board: {@link AuthorPlaces} tells the cache whose place changed, and the pages with posts
 * or comments of theirs are dropped. A page being read meanwhile may hold the old place; it is read
 * under a version no older than the last such change, and is not kept if one was told since.
 *
 * <p>One per database, in this process: the writer that feeds it is the database's only writer.
 */
public final class TimelineCache {

  /** Most bytes of pages kept; the least recently used go first. */
  static final long BUDGET_BYTES = 64L << 20;
  /** What a page costs beyond its JSON: its member and reader sets, roughly. */
  private static final int OVERHEAD_BYTES = 2_048;
  private static final byte[] READ_BY_ME = ",\"readByMe\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_READ_BY_ME = ",\"readByMe\":false}".getBytes(StandardCharsets.UTF_8);

  private final long budgetBytes;
  private final AtomicLong changes = new AtomicLong();
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  /** The change number of the last change of authors' places told; moved on under this. */
  private volatile long placesMoved;
  /** Guarded by this; in access order, for evicting the least recently used. */
  private final LinkedHashMap<String, Page> pages = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;

  TimelineCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** A cache of the database's first pages, fed by its writer from now on; one per node (the care feature's). */
  public static TimelineCache fedBy(Database database) {
    TimelineCache cache = new TimelineCache(BUDGET_BYTES);
    database.touchTableHook(TimelineCache.class, TOUCHES, cache::changed);
    return cache;
  }

  /** What a committed transaction changed: whole boards, and read receipts (既読) added. */
  record Touches(List<String> boards, List<Receipt> receipts) {}

  /** A read receipt: the user has read the post on the board. */
  record Receipt(String boardId, String postId, String userId) {}

  /**
   * The boards and the read receipts a transaction touched, read in the writer's one look at the touch
   * tables: a board's row has no post (read receipts always have one).
   */
  private static final TouchTable<Touches> TOUCHES = TouchTable.of("select board_id, null, null from board_touches"
      + " union all select board_id, post_id, user_id from read_touches", 3, TimelineCache::takeTouches);

  /** In the committing transaction: what it changed, and the record of it emptied. */
  static Touches takeTouches(Connection c, List<TouchRow> rows) throws SQLException {
    List<String> boards = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    for (TouchRow row : rows) {
      if (row.text(2) == null) {
        boards.add(row.text(1));
      } else {
        receipts.add(new Receipt(row.text(1), row.text(2), row.text(3)));
      }
    }
    if (!boards.isEmpty()) {
      emptied(c, "board_touches");
    }
    if (!receipts.isEmpty()) {
      emptied(c, "read_touches");
    }
    return new Touches(boards, receipts);
  }

  private static void emptied(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from " + table)) {
      s.executeUpdate();
    }
  }

  /**
   * After a durable commit: drops the pages of boards that changed, and adds new readers to the
   * pages kept, which move on to the board's new version with them (a page being read meanwhile
   * was read under the old version and is not kept).
   */
  void changed(Touches touches) {
    Set<String> dropped = new HashSet<>(touches.boards());
    for (String board : dropped) {
      versions.put(board, changes.incrementAndGet());
    }
    Map<String, List<Receipt>> receiptsByBoard = new HashMap<>();
    for (Receipt receipt : touches.receipts()) {
      if (!dropped.contains(receipt.boardId())) {
        receiptsByBoard.computeIfAbsent(receipt.boardId(), b -> new ArrayList<>()).add(receipt);
      }
    }
    synchronized (this) {
      for (String board : dropped) {
        Page gone = pages.remove(board);
        if (gone != null) {
          bytes -= gone.bytes();
        }
      }
      receiptsByBoard.forEach(this::addReaders);
    }
  }

  /**
   * After a durable commit that changed where these users are: drops the pages that show them beside
   * a post or comment, and keeps no page whose read began before.
   */
  public synchronized void authorsMoved(List<String> users) {
    placesMoved = changes.incrementAndGet();
    Set<String> moved = Set.copyOf(users);
    Iterator<Page> kept = pages.values().iterator();
    while (kept.hasNext()) {
      Page page = kept.next();
      if (page.people().stream().anyMatch(moved::contains)) {
        bytes -= page.bytes();
        kept.remove();
      }
    }
  }

  /** Guarded by this. */
  private void addReaders(String boardId, List<Receipt> receipts) {
    Page page = pages.get(boardId);
    boolean current = page != null && isCurrent(boardId, page);
    long next = changes.incrementAndGet();
    versions.put(boardId, next);
    if (current) {
      Page updated = page.withReaders(receipts, next);
      pages.put(boardId, updated);
      bytes += updated.bytes() - page.bytes();
    }
  }

  /**
   * The version to read the board under; take it before reading the board. It is the board's own,
   * or the last change of authors' places if that is newer.
   */
  long version(String boardId) {
    return Math.max(versions.getOrDefault(boardId, 0L), placesMoved);
  }

  /**
   * Whether the page was read under a version no older than the board's (all versions are numbers of
   * one sequence, so the board has not changed since the read began).
   */
  private boolean isCurrent(String boardId, Page page) {
    return page.version() >= versions.getOrDefault(boardId, 0L);
  }

  /** The board's page if it is still current, else null. */
  synchronized Page current(String boardId) {
    Page page = pages.get(boardId);
    return page != null && isCurrent(boardId, page) ? page : null;
  }

  /** Keeps a page just read, unless the board or an author's place changed meanwhile. */
  synchronized void keep(String boardId, Page page) {
    if (!isCurrent(boardId, page) || page.version() < placesMoved) {
      return;
    }
    Page replaced = pages.put(boardId, page);
    bytes += page.bytes() - (replaced == null ? 0 : replaced.bytes());
    Iterator<Page> oldest = pages.values().iterator();
    while (bytes > budgetBytes && oldest.hasNext()) {
      bytes -= oldest.next().bytes();
      oldest.remove();
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  /** One post as every member who may see it gets it, but for whether they have read it. */
  record CachedPost(String id, byte[] jsonWithoutEnd, String authorId, boolean direct, Set<String> recipients,
      Set<String> readers) {

    boolean visibleTo(String userId) {
      return !direct || recipients.contains(userId);
    }

    boolean readBy(String userId) {
      return authorId.equals(userId) || readers.contains(userId);
    }

    CachedPost withReaders(Set<String> more) {
      Set<String> all = new HashSet<>(readers);
      all.addAll(more);
      return new CachedPost(id, jsonWithoutEnd, authorId, direct, recipients, Set.copyOf(all));
    }
  }

  /**
   * A board's first page as read under one version, with who may see it and whose places it shows
   * ({@code people}: the authors of its posts and comments).
   */
  record Page(long version, BoardKind kind, boolean live, Set<String> activeMembers, List<CachedPost> posts,
      Set<String> people, long bytes) {

    /** Whether the user may read the board's timeline by this route (the same test as a member check). */
    boolean admits(String userId, BoardKind route) {
      return live && kind == route && activeMembers.contains(userId);
    }

    /** This page with the receipts' readers added, as of the board's version {@code next}. */
    Page withReaders(List<Receipt> receipts, long next) {
      Map<String, Set<String>> byPost = new HashMap<>();
      receipts.forEach(r -> byPost.computeIfAbsent(r.postId(), p -> new HashSet<>()).add(r.userId()));
      List<CachedPost> updated = new ArrayList<>(posts.size());
      long added = 0;
      for (CachedPost post : posts) {
        Set<String> more = byPost.get(post.id());
        updated.add(more == null ? post : post.withReaders(more));
        added += more == null ? 0 : 64L * more.size();
      }
      return new Page(next, kind, live, activeMembers, List.copyOf(updated), people, bytes + added);
    }

    /** The answer of {@code GET …/posts} for this member: {@code {"posts": [...], "more": …}}. */
    Buffer render(String userId) {
      Buffer out = Buffer.buffer((int) Math.min(Integer.MAX_VALUE, bytes));
      out.appendString("{\"posts\":[");
      int shown = 0;
      for (CachedPost post : posts) {
        if (shown == PostSql.PAGE) {
          break;
        }
        if (!post.visibleTo(userId)) {
          continue;
        }
        if (shown > 0) {
          out.appendByte((byte) ',');
        }
        out.appendBytes(post.jsonWithoutEnd()).appendString(",\"readCount\":" + post.readers().size())
            .appendBytes(post.readBy(userId) ? READ_BY_ME : NOT_READ_BY_ME);
        shown++;
      }
      return out.appendString("],\"more\":" + (shown == PostSql.PAGE) + "}");
    }

    /**
     * Reads the board's first page for every member: its newest posts down to the 50th that is
     * not direct, each with its details as the uncached page has them, and the board's active
     * members. Empty for a board that does not exist.
     */
    static Optional<Page> read(Connection c, String boardId, long version) throws SQLException {
      BoardKind kind;
      boolean live;
      try (PreparedStatement s = c.prepareStatement("select kind, coalesce(replica_state, 'live') = 'live'"
          + " from care_boards where id = ?")) {
        s.setString(1, boardId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          kind = BoardKind.ofCode(rs.getString(1));
          live = rs.getInt(2) == 1;
        }
      }
      Set<String> members = new HashSet<>(BoardSql.activeMemberIds(c, boardId));
      List<Post> newest = PostSql.newestForEveryMember(c, boardId);
      // Without read receipts: 既読 N and "read by me" are rendered from each post's readers, which
      // read receipts change in place (see changed()).
      Map<String, JsonObject> details = PostDetailsSql.sharedDetails(c, newest);
      Map<String, Set<String>> readers = userIdsByPost(c, "post_reads", newest);
      Map<String, Set<String>> recipients = userIdsByPost(c, "post_recipients", newest);
      List<CachedPost> posts = new ArrayList<>(newest.size());
      Set<String> people = new HashSet<>();
      long bytes = OVERHEAD_BYTES;
      for (Post post : newest) {
        people.add(post.authorId());
        details.get(post.id()).getJsonArray("comments")
            .forEach(comment -> people.add(((JsonObject) comment).getString("authorId")));
        byte[] encoded = details.get(post.id()).toBuffer().getBytes();
        byte[] withoutEnd = Arrays.copyOf(encoded, encoded.length - 1);
        Set<String> postReaders = readers.getOrDefault(post.id(), Set.of());
        posts.add(new CachedPost(post.id(), withoutEnd, post.authorId(), post.direct(),
            recipients.getOrDefault(post.id(), Set.of()), Set.copyOf(postReaders)));
        bytes += withoutEnd.length + READ_BY_ME.length + 64L * postReaders.size();
      }
      people.remove(null);
      return Optional.of(new Page(version, kind, live, members, List.copyOf(posts), Set.copyOf(people), bytes));
    }

    private static Map<String, Set<String>> userIdsByPost(Connection c, String table, List<Post> posts)
        throws SQLException {
      Map<String, Set<String>> byPost = new HashMap<>();
      if (posts.isEmpty()) {
        return byPost;
      }
      List<String> ids = posts.stream().map(Post::id).toList();
      PostDetailsSql.query(c, "select post_id, user_id from " + table + " where post_id in ("
          + PostSql.placeholders(ids.size()) + ")", ids,
          rs -> byPost.computeIfAbsent(rs.getString(1), id -> new HashSet<>()).add(rs.getString(2)));
      return byPost;
    }
  }
}
