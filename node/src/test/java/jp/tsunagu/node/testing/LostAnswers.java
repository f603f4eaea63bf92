package jp.tsunagu.node.testing;

import java.sql.Statement;
import jp.tsunagu.node.TsunaguNode;

/**
 * What a crash or a failover right after a keyed create committed does to the answer kept afterwards:
 * while open, the node's database refuses every change of an {@code idempotency_keys} row (a real
 * SQLite trigger on the real file), so a key's answer can only be there if it was written with the
 * key row itself, in the create's own transaction. New key rows are still taken.
 */
public final class LostAnswers implements AutoCloseable {

  private static final String TRIGGER = "test_answers_kept_afterwards_are_lost";

  private final TsunaguNode node;

  private LostAnswers(TsunaguNode node) {
    this.node = node;
  }

  /** From now on until {@link #close}, the answers a node would keep after a create are lost. */
  public static LostAnswers on(TsunaguNode node) {
    run(node, "create trigger " + TRIGGER + " before update on idempotency_keys"
        + " begin select raise(abort, 'the answer kept after the create is lost'); end");
    return new LostAnswers(node);
  }

  @Override
  public void close() {
    run(node, "drop trigger if exists " + TRIGGER);
  }

  private static void run(TsunaguNode node, String sql) {
    node.services().database().submitWrite(c -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return null;
    }).join();
  }
}
