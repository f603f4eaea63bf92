package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.keys.AdminToken;
import jp.tsunagu.node.testing.TestAdmin;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The admin API answers only to the operator: loopback and the token the node keeps in its data
 * directory, readable by its own account alone (a real node; the admin listener is plain HTTP on loopback).
 */
class AdminTokenTest {

  @TempDir
  Path dir;

  private static HttpResponse<String> call(TsunaguNode node, String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.adminUrl().resolve(path))
        .header("Content-Type", "application/json")
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(new JsonObject().put("role", "municipal_staff")
                .put("loginId", "ina-shinnyu").put("email", "x@city.ina.example.jp").put("familyName", "春日")
                .put("givenName", "陽子").put("familyKana", "カスガ").put("givenKana", "ヨウコ")
                .put("deviceType", "windows").encode()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void without_the_operator_token_the_admin_api_refuses_with_401_audits_it_and_creates_nothing() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      String token = TestAdmin.authorization(node);
      long users = TestSql.count(node, "select count(*) from users");
      long agreements = TestSql.count(node, "select count(*) from agreement_versions");
      long refusals = TestSql.count(node, "select count(*) from audit_log where action = 'admin.refused'");
      for (String authorization : new String[] {null, "Bearer wrong", token.replace("Bearer ", "Basic "),
          token.substring(0, token.length() - 1), ""}) {
        for (String[] call : new String[][] {{"POST", "/admin/v1/accounts"}, {"GET", "/admin/v1/agreements"},
            {"GET", "/admin/v1/peers"}, {"GET", "/admin/v1/nothing-here"}}) {
          HttpResponse<String> refused = call(node, call[0], call[1], authorization);
          assertThat(refused.statusCode()).as(call[1]).isEqualTo(401);
          JsonObject body = new JsonObject(refused.body());
          assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message", "requestId");
          assertThat(body.getString("code")).isEqualTo("admin.unauthorized");
          assertThat(refused.body()).doesNotContain("kamiina").doesNotContain(node.services().config().dataDir()
              .toString());
        }
      }
      assertThat(TestSql.count(node, "select count(*) from users")).isEqualTo(users);
      assertThat(TestSql.count(node, "select count(*) from agreement_versions")).isEqualTo(agreements);
      assertThat(TestSql.count(node, "select count(*) from audit_log where action = 'admin.refused'"
          + " and outcome = 'refused' and target = 'admin:POST /admin/v1/accounts'")).isEqualTo(5);
      assertThat(TestSql.count(node, "select count(*) from audit_log where action = 'admin.refused'"))
          .isEqualTo(refusals + 20);

      // Health and metrics stay open (no patient data; a Prometheus scraper on the machine).
      assertThat(call(node, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(call(node, "GET", "/metrics", null).statusCode()).isEqualTo(200);
      // With the token the operator works as before.
      assertThat(call(node, "GET", "/admin/v1/agreements", token).statusCode()).isEqualTo(200);
      HttpResponse<String> created = call(node, "POST", "/admin/v1/accounts", token);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String secret = token.substring("Bearer ".length());
      assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
      assertThat(TestSql.count(node, "select count(*) from audit_log where detail like ?", "%" + secret + "%"))
          .isZero();
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void the_token_file_is_the_node_account_s_alone_kept_across_restarts_and_refused_when_others_may_read_it()
      throws Exception {
    String first;
    Path file;
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      file = node.services().config().dataDir().resolve(AdminToken.FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      first = TestAdmin.authorization(node);
    }
    try (TsunaguNode again = TsunaguNode.start(TestNodes.config(dir, "ina"))) {
      assertThat(TestAdmin.authorization(again)).isEqualTo(first);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> TsunaguNode.start(TestNodes.config(dir, "ina")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage()).contains("admin-token")
            .contains("other users").doesNotContain(first.substring("Bearer ".length())));
  }
}
