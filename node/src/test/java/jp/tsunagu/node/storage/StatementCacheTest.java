package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {

  @TempDir
  Path dir;

  private Connection target;
  private StatementCache cache;

  @BeforeEach
  void open() throws SQLException {
    target = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
    try (Statement s = target.createStatement()) {
      s.executeUpdate("create table t (n integer not null)");
      s.executeUpdate("insert into t (n) values (1), (2), (3)");
    }
    cache = new StatementCache(target, 2);
  }

  @AfterEach
  void close() throws SQLException {
    cache.close();
    target.close();
  }

  @Test
  void the_same_sql_prepared_again_after_close_is_the_statement_kept_from_before() throws SQLException {
    Connection c = cache.connection();
    PreparedStatement first;
    try (PreparedStatement s = c.prepareStatement("select n from t where n = ?")) {
      first = s;
      s.setInt(1, 2);
      assertThat(single(s)).isEqualTo(2);
    }
    try (PreparedStatement s = c.prepareStatement("select n from t where n = ?")) {
      assertThat(s).isSameAs(first);
      s.setInt(1, 3);
      assertThat(single(s)).isEqualTo(3);
    }
  }

  @Test
  void a_nested_query_over_the_same_sql_gets_its_own_statement() throws SQLException {
    Connection c = cache.connection();
    String sql = "select n from t where n >= ? order by n";
    List<String> pairs = new ArrayList<>();
    try (PreparedStatement outer = c.prepareStatement(sql)) {
      outer.setInt(1, 2);
      try (ResultSet rows = outer.executeQuery()) {
        while (rows.next()) {
          try (PreparedStatement inner = c.prepareStatement(sql)) {
            assertThat(inner).isNotSameAs(outer);
            inner.setInt(1, rows.getInt(1));
            pairs.add(rows.getInt(1) + "/" + single(inner));
          }
        }
      }
    }
    assertThat(pairs).containsExactly("2/2", "3/3");
  }

  @Test
  void a_statement_back_in_the_cache_keeps_no_parameters_and_refuses_use() throws SQLException {
    Connection c = cache.connection();
    PreparedStatement kept;
    try (PreparedStatement s = c.prepareStatement("insert into t (n) values (?)")) {
      kept = s;
      s.setInt(1, 7);
      s.executeUpdate();
    }
    assertThat(kept.isClosed()).isTrue();
    assertThatThrownBy(kept::executeUpdate).isInstanceOf(SQLException.class);
    try (PreparedStatement s = c.prepareStatement("insert into t (n) values (?)")) {
      assertThatThrownBy(s::executeUpdate).as("the 7 of the last use is gone: null into a not-null column")
          .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
    }
  }

  @Test
  void a_batch_added_and_not_run_is_not_run_by_the_next_use() throws SQLException {
    Connection c = cache.connection();
    try (PreparedStatement s = c.prepareStatement("insert into t (n) values (?)")) {
      s.setInt(1, 8);
      s.addBatch();
    }
    try (PreparedStatement s = c.prepareStatement("insert into t (n) values (?)")) {
      s.setInt(1, 9);
      s.addBatch();
      assertThat(s.executeBatch()).hasSize(1);
    }
    try (PreparedStatement s = c.prepareStatement("select count(*) from t where n in (8, 9)")) {
      assertThat(single(s)).isEqualTo(1);
    }
  }

  @Test
  void the_statement_handed_out_is_the_drivers_own_not_a_proxy_around_it() throws SQLException {
    try (PreparedStatement s = cache.connection().prepareStatement("select n from t")) {
      // a proxy made every set, execute and close a reflective call with an argument array
      assertThat(java.lang.reflect.Proxy.isProxyClass(s.getClass())).isFalse();
      assertThat(s).isInstanceOf(org.sqlite.jdbc4.JDBC4PreparedStatement.class);
    }
  }

  @Test
  void a_result_set_left_open_is_closed_when_its_statement_goes_back() throws SQLException {
    Connection c = cache.connection();
    ResultSet left;
    try (PreparedStatement s = c.prepareStatement("select n from t order by n")) {
      left = s.executeQuery();
      left.next();
    }
    assertThat(left.isClosed()).isTrue();
  }

  @Test
  void beyond_its_capacity_the_least_recently_used_statement_is_really_closed() throws SQLException {
    Connection c = cache.connection();
    PreparedStatement[] real = new PreparedStatement[1];
    try (PreparedStatement s = c.prepareStatement("select 1")) {
      real[0] = s.unwrap(PreparedStatement.class);
    }
    for (String sql : List.of("select 2", "select 3")) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.executeQuery().close();
      }
    }
    assertThat(real[0].isClosed()).isTrue();
  }

  private static int single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }
}
