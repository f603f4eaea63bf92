package jp.tsunagu.node.care.categories;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.care.timeline.PostDetailsSql;

/**
 * The SQL of 情報カテゴリー: the list in order with every category's former names, adding,
 * renaming (the old name stays recorded for the category), stopping and reordering.
 */
public final class CategorySql {

  private CategorySql() {}

  static List<Category> all(Connection c) throws SQLException {
    Map<Long, List<String>> former = new LinkedHashMap<>();
    PostDetailsSql.query(c, "select n.category_id, n.name from post_category_names n join post_categories p"
        + " on p.id = n.category_id where n.name <> p.name order by n.name", List.of(),
        rs -> former.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(rs.getString(2)));
    List<Category> categories = new ArrayList<>();
    PostDetailsSql.query(c, "select id, name, position, active, fixed from post_categories order by position, id",
        List.of(), rs -> categories.add(new Category(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4) == 1,
            rs.getInt(5) == 1, List.copyOf(former.getOrDefault(rs.getLong(1), List.of())))));
    return categories;
  }

  static Optional<Category> byId(Connection c, long id) throws SQLException {
    return all(c).stream().filter(category -> category.id() == id).findFirst();
  }

  /** The category that has, or once had, this name. */
  static Optional<Long> ownerOfName(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select category_id from post_category_names where name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /**
   * What a timeline filter by this name matches: every name its category has had, or the name
   * alone when no category of this node ever had it.
   */
  public static List<String> namesToMatch(Connection c, String name) throws SQLException {
    List<String> names = new ArrayList<>();
    PostDetailsSql.query(c, "select n.name from post_category_names n join post_category_names m"
        + " on m.category_id = n.category_id where m.name = ? order by n.name", List.of(name),
        rs -> names.add(rs.getString(1)));
    return names.isEmpty() ? List.of(name) : names;
  }

  public static long insert(Connection c, String name) throws SQLException {
    long id;
    try (PreparedStatement s = c.prepareStatement("insert into post_categories (name, position, active, fixed)"
        + " values (?, (select coalesce(max(position), 0) + 1 from post_categories), 1, 0) returning id")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    recordName(c, id, name);
    return id;
  }

  static void rename(Connection c, long id, String name) throws SQLException {
    update(c, "update post_categories set name = ? where id = ?", name, id);
    recordName(c, id, name);
  }

  static void setActive(Connection c, long id, boolean active) throws SQLException {
    update(c, "update post_categories set active = ? where id = ?", active ? 1 : 0, id);
  }

  /** Gives the categories the positions 1, 2, … in the order of {@code ids}. */
  static void reorder(Connection c, List<Long> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update post_categories set position = ? where id = ?")) {
      for (int i = 0; i < ids.size(); i++) {
        s.setInt(1, i + 1);
        s.setLong(2, ids.get(i));
        s.executeUpdate();
      }
    }
  }

  private static void recordName(Connection c, long id, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert or ignore into post_category_names (name, category_id)"
        + " values (?, ?)")) {
      s.setString(1, name);
      s.setLong(2, id);
      s.executeUpdate();
    }
  }

  private static void update(Connection c, String sql, Object value, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, value);
      s.setLong(2, id);
      s.executeUpdate();
    }
  }
}
