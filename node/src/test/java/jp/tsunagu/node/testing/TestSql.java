package jp.tsunagu.node.testing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import jp.tsunagu.node.TsunaguNode;

/** Reads a node's database the way tests check what was (or was not) stored. */
public final class TestSql {

  private TestSql() {}

  /** The single number a {@code select count(*) …} answers, with its parameters bound in order. */
  public static long count(TsunaguNode node, String sql, Object... parameters) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          s.setObject(i + 1, parameters[i]);
        }
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }
}
