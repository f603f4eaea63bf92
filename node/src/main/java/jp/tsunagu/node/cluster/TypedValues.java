package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonArray;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;

/** Binds values captured in the typed encoding of {@link ChangeCapture} to a statement, each with its own type. */
final class TypedValues {

  private TypedValues() {}

  /** Binds every value of {@code values} from parameter {@code first} on; returns the next free parameter. */
  static int bind(PreparedStatement statement, int first, JsonArray values) throws SQLException {
    int index = first;
    for (int i = 0; i < values.size(); i++) {
      bindOne(statement, index++, values.getValue(i));
    }
    return index;
  }

  private static void bindOne(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.NULL);
    } else if (value instanceof Number number) {
      statement.setLong(index, number.longValue());
    } else if (value instanceof String text && !text.isEmpty()) {
      String rest = text.substring(1);
      switch (text.charAt(0)) {
        case 't' -> statement.setString(index, rest);
        case 'r' -> statement.setDouble(index, Double.parseDouble(rest));
        case 'x' -> statement.setBytes(index, HexFormat.of().parseHex(rest));
        default -> throw new ReplicationRefused("cluster.bad_value", "a replicated value has an unknown type tag");
      }
    } else {
      throw new ReplicationRefused("cluster.bad_value", "a replicated value is not in the captured encoding");
    }
  }
}
