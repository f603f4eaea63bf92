package jp.tsunagu.node.identity;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;

/** A real 伊那市 node mailing through a real SMTP server (GreenMail) in the JVM, with seeded people. */
final class IdentityFixture implements AutoCloseable {

  static final String PASSWORD = "Ina-kango-2025!";

  final GreenMail mail;
  final TsunaguNode node;
  final AccountSeeder seeder;

  IdentityFixture(Path dir, boolean demo) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    JsonObject json = TestNodes.json("ina").put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", mail.getSmtp().getPort()).put("startTls", "disabled").put("from", "tsunagu@ina.example.jp"));
    NodeConfig config = new ConfigLoader(name -> null).fromJson(json, dir);
    node = TsunaguNode.start(demo ? config.asDemo() : config);
    seeder = new AccountSeeder(node.services());
  }

  AccountSeeder.Created person(String loginId, Role role, Optional<String> facilityId) {
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "花子", "イナ",
        "ハナコ", role == Role.MUNICIPAL_STAFF ? "municipal_staff" : "nurse", role, facilityId), PASSWORD, "windows");
  }

  IdentityClient clientWith(AccountSeeder.Created created) {
    return new IdentityClient(node, created.pkcs12(), created.certificatePassword());
  }

  IdentityClient loggedIn(AccountSeeder.Created created, String loginId) {
    IdentityClient client = clientWith(created);
    int status = client.login(loginId, PASSWORD).statusCode();
    if (status != 200) {
      throw new AssertionError("login of " + loginId + " failed with " + status);
    }
    return client;
  }

  @Override
  public void close() {
    node.close();
    mail.stop();
  }
}
