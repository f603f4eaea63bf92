package jp.tsunagu.node.identity;

import io.vertx.core.Future;
import java.util.Optional;
import jp.tsunagu.node.storage.Database;

/**
 * This node's own active professionals as other features may see them: who they are and their
 * profession, never their login or credentials (the review board appoints 審査委員 from them).
 */
public final class Professionals {

  /** A professional of this node. */
  public record Professional(String userId, String displayName, String profession) {}

  private final Database database;

  Professionals(Database database) {
    this.database = database;
  }

  /** The active professional of this node with that id; empty for anyone else (or a partner's shadow row). */
  public Future<Optional<Professional>> find(String userId) {
    return database.read(c -> {
      Optional<User> user = UserStore.byId(c, userId);
      if (user.isEmpty() || !user.get().active() || user.get().role() != Role.PROFESSIONAL || isPartner(c, userId)) {
        return Optional.<Professional>empty();
      }
      User u = user.get();
      return Optional.of(new Professional(u.id(), u.familyName() + " " + u.givenName(), u.profession()));
    });
  }

  /** The mail address of an active professional of this node (for notices their work sends them). */
  public Future<Optional<String>> mail(String userId) {
    return database.read(c -> {
      Optional<User> user = UserStore.byId(c, userId);
      if (user.isEmpty() || !user.get().active() || user.get().role() != Role.PROFESSIONAL || isPartner(c, userId)
          || user.get().email() == null || user.get().email().isBlank()) {
        return Optional.<String>empty();
      }
      return Optional.of(user.get().email());
    });
  }

  /** The same by login id (the demo seats its reviewers by the logins it prints). */
  public Future<Optional<Professional>> findByLogin(String loginId) {
    return database.read(c -> UserStore.byLoginId(c, loginId).map(User::id)).compose(id -> id.isEmpty()
        ? Future.succeededFuture(Optional.empty()) : find(id.get()));
  }

  private static boolean isPartner(java.sql.Connection c, String userId) throws java.sql.SQLException {
    try (var s = c.prepareStatement("select home_node is not null from users where id = ?")) {
      s.setString(1, userId);
      try (var r = s.executeQuery()) {
        return r.next() && r.getBoolean(1);
      }
    }
  }
}
