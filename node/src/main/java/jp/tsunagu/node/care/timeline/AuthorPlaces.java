package jp.tsunagu.node.care.timeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.TouchRow;
import jp.tsunagu.node.storage.TouchTable;

/**
 * Where each author of posts is, as a timeline page shows it beside their posts (their facility's
 * municipality, their home node), kept in memory by user. A page of 50 posts has a handful of
 * authors, whom the page statement joined through {@code users} and {@code facilities} once per post:
 * four B-tree searches a post, on pages a reader's cache had dropped at the last commit.
 *
 * <p>Freshness does not depend on any route: triggers record every user whose place a write
 * transaction changed (their facility or home node, their facility's municipality, see the
 * {@code author_touches} migration), also as a cluster's follower applies replicated rows, and the
 * node's writer hands those users here after each durable commit, before the write is acknowledged.
 * A place read from the database is kept only if no change was told since before the read's
 * transaction began, so a place kept is never older than the database's.
 *
 * <p>One per database, in this process: the writer that feeds it is the database's only writer. It
 * holds at most one small entry per user of the node (19,000 professionals: a few MiB).
 */
public final class AuthorPlaces {

  /** An author's place: the municipality's name (empty when none) and their home node (null: this node). */
  record Place(String municipality, String homeNode) {
    static final Place NONE = new Place(Places.municipality(null), null);
  }

  private final Map<String, Place> places = new ConcurrentHashMap<>();
  /** Told too, after the places are forgotten: the users whose place changed. */
  private final Consumer<List<String>> alsoTold;
  /** Moved on by every change told; written under this, with the places it guards. */
  private volatile long changes;

  AuthorPlaces() {
    this(users -> { });
  }

  AuthorPlaces(Consumer<List<String>> alsoTold) {
    this.alsoTold = alsoTold;
  }

  /** The authors' places of the database, fed by its writer from now on. */
  public static AuthorPlaces fedBy(Database database) {
    return fedBy(database, users -> { });
  }

  /**
   * The authors' places of the database, fed by its writer from now on, telling {@code alsoTold} too
   * which users' places changed (the timeline cache keeps pages that show them); one per node (the
   * care feature's).
   */
  public static AuthorPlaces fedBy(Database database, Consumer<List<String>> alsoTold) {
    AuthorPlaces cache = new AuthorPlaces(alsoTold);
    database.touchTableHook(AuthorPlaces.class, TOUCHES, cache::changed);
    return cache;
  }

  /** The users whose place a transaction changed, read in the writer's one look at the touch tables. */
  private static final TouchTable<List<String>> TOUCHES = TouchTable.of("select user_id from author_touches", 1,
      AuthorPlaces::takeTouches);

  /** In the committing transaction: the users whose place it changed, and the record of them emptied. */
  static List<String> takeTouches(Connection c, List<TouchRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> users = new ArrayList<>(rows.size());
    rows.forEach(row -> users.add(row.text(1)));
    try (PreparedStatement s = c.prepareStatement("delete from author_touches")) {
      s.executeUpdate();
    }
    return users;
  }

  /** After a durable commit: forgets the places of users that changed, and tells whoever else shows them. */
  void changed(List<String> users) {
    if (users.isEmpty()) {
      return;
    }
    forget(users);
    alsoTold.accept(users);
  }

  private synchronized void forget(List<String> users) {
    changes++;
    users.forEach(places::remove);
  }

  /**
   * A read of places about to begin: take it before the read's transaction does, so that a change
   * told after the read's snapshot was taken keeps what the read found out of memory.
   */
  Reading reading() {
    return new Reading(changes);
  }

  /** Places read for one request, kept only if no change was told since {@link #reading()}. */
  final class Reading {
    private final long changesBefore;

    private Reading(long changesBefore) {
      this.changesBefore = changesBefore;
    }

    /**
     * The author's place, from memory, or read on {@code c} if not kept yet (and kept); an author the
     * database does not know has {@link Place#NONE}, as a join left them. After the first pages every
     * author is kept: a page asks memory only.
     */
    Place of(Connection c, String authorId) throws SQLException {
      Place place = places.get(authorId);
      if (place != null) {
        return place;
      }
      Place[] read = {null};
      PostDetailsSql.query(c, "select f.municipality_code, u.home_node from users u left join facilities f"
          + " on f.id = u.facility_id where u.id = ?", List.of(authorId),
          rs -> read[0] = new Place(Places.municipality(rs.getString(1)), rs.getString(2)));
      if (read[0] == null) {
        return Place.NONE;
      }
      keep(changesBefore, authorId, read[0]);
      return read[0];
    }
  }

  /** Keeps places read while no change was told; a change told meanwhile may be missing from the read. */
  private synchronized void keep(long changesBefore, String authorId, Place read) {
    if (changes == changesBefore) {
      places.put(authorId, read);
    }
  }

  /** How many authors' places are kept (for tests). */
  int size() {
    return places.size();
  }
}
