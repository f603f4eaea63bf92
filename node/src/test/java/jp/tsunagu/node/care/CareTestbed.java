package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;

/**
 * A real 伊那市 node in demo mode (password-only login from loopback, so tests and Chromium need no
 * device certificate) with two facilities, and logged-in clients for the people the tests create.
 */
final class CareTestbed implements AutoCloseable {

  static final String PASSWORD = "correct-horse-battery-9";

  final TsunaguNode node;
  final AccountSeeder seeder;
  final String clinic;
  final String nursingStation;

  private CareTestbed(TsunaguNode node) {
    this.node = node;
    this.seeder = new AccountSeeder(node.services());
    this.clinic = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "clinic");
    this.nursingStation = seeder.createFacility("いな訪問看護ステーション", "202096", "長野県", "home_nursing");
  }

  static CareTestbed start(Path dir) {
    return start(dir, new JsonObject());
  }

  /** With configuration keys added (e.g. a small upload limit). */
  static CareTestbed start(Path dir, JsonObject extra) {
    JsonObject json = TestNodes.json("ina").mergeIn(extra, true);
    return new CareTestbed(TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir).asDemo()));
  }

  /** Creates a professional and logs them in. */
  CareClient professional(String loginId, String family, String given, String profession, String facilityId) {
    return loggedIn(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "テスト", "タロウ",
        profession, Role.PROFESSIONAL, Optional.of(facilityId)));
  }

  /** Creates a member of the municipal staff (行政), who administers the node, and logs them in. */
  CareClient municipalStaff(String loginId, String family, String given) {
    return loggedIn(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "テスト", "ハナコ",
        "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()));
  }

  private CareClient loggedIn(AccountSeeder.Person person) {
    AccountSeeder.Created created = seeder.createUser(person, PASSWORD, "windows");
    CareClient client = new CareClient(node, created.userId());
    client.login(person.loginId(), PASSWORD);
    return client;
  }

  /** How many audit entries the node holds for this action on this target. */
  long audited(String action, String target) throws Exception {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement("select count(*) from audit_log where action = ? and target = ?")) {
        s.setString(1, action);
        s.setString(2, target);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).get();
  }

  @Override
  public void close() {
    node.close();
  }
}
