package jp.tsunagu.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.keys.AdminToken;

/** The operator's credential for a node's admin API, read from its data directory as tsunagu-admin reads it. */
public final class TestAdmin {

  private TestAdmin() {}

  /** The value of the {@code Authorization} header the admin API wants. */
  public static String authorization(TsunaguNode node) {
    try {
      return "Bearer " + Files.readString(node.services().config().dataDir().resolve(AdminToken.FILE)).trim();
    } catch (IOException e) {
      throw new AssertionError("cannot read the node's admin token", e);
    }
  }
}
