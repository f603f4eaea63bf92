package jp.tsunagu.node.identity;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestNodes;

/** A real 伊那市 node mailing through a real SMTP server (GreenMail) in the JVM, with seeded people. */
final class IdentityFixture implements AutoCloseable {

  static final String PASSWORD = "Ina-kango-2025!";

  GreenMail mail;
  private final int smtpPort;
  final TsunaguNode node;
  final AccountSeeder seeder;

  IdentityFixture(Path dir, boolean demo) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    smtpPort = mail.getSmtp().getPort();
    JsonObject json = TestNodes.json("ina").put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", smtpPort).put("startTls", "disabled").put("from", "tsunagu@ina.example.jp"));
    NodeConfig config = new ConfigLoader(name -> null).fromJson(json, dir);
    node = TsunaguNode.start(demo ? config.asDemo() : config);
    seeder = new AccountSeeder(node.services());
  }

  /** Stops the SMTP server, as an outage would; the node keeps its configured port. */
  void stopMail() {
    mail.stop();
  }

  /** Starts a fresh SMTP server on the same port (it has received nothing yet). */
  void startMail() {
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
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

  /** The mails the SMTP server received for one address, in order. */
  List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> RegistrationFlowTest.recipient(m).equals(address))
        .toList();
  }

  /** A call to the node's admin API (plain HTTP on loopback), as {@code tsunagu-admin} makes it. */
  HttpResponse<String> admin(String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(node.adminUrl().resolve(path))
        .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(node))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The audit rows of one action as "actor target detail", oldest first. */
  List<String> audit(String action) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select actor, target, detail from audit_log where action = ? order by seq")) {
        s.setString(1, action);
        try (var rs = s.executeQuery()) {
          List<String> rows = new ArrayList<>();
          while (rs.next()) {
            rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
          }
          return rows;
        }
      }
    }).join();
  }

  @Override
  public void close() {
    node.close();
    mail.stop();
  }
}
