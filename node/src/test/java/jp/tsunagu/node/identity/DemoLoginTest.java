package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's accounts, and password-only login: allowed on a demo node from loopback, never on {@code serve}. */
class DemoLoginTest {

  @TempDir
  Path dir;

  @Test
  void a_demo_node_gets_its_people_once_and_lets_them_in_with_the_password_alone() {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "minamiminowa").asDemo())) {
      List<DemoAccounts.Login> logins = DemoAccounts.ensure(node.services());
      assertThat(DemoAccounts.ensure(node.services())).isEqualTo(logins);
      assertThat(logins).extracting(DemoAccounts.Login::loginId).containsExactly("minamiminowa-gyosei",
          "minamiminowa-kanri", "minamiminowa-ishi", "minamiminowa-kango", "minamiminowa-caremane",
          "minamiminowa-kyukyu", "minamiminowa-mimamori");
      assertThat(logins.get(2).who()).contains("医師", "南箕輪村");
      IdentityClient client = new IdentityClient(node);
      assertThat(client.login("minamiminowa-kanri", DemoAccounts.PASSWORD).statusCode()).isEqualTo(200);
      JsonObject me = new JsonObject(client.get("/api/v1/auth/me").body());
      assertThat(me.getJsonObject("user").getString("role")).isEqualTo("facility_admin");
      assertThat(me.getBoolean("certificateLogin")).isFalse();
    }
  }

  @Test
  void a_serve_node_never_accepts_the_password_alone() {
    try (TsunaguNode node = TsunaguNode.start(TestNodes.config(dir, "minamiminowa"))) {
      DemoAccounts.ensure(node.services());
      var response = new IdentityClient(node).login("minamiminowa-kanri", DemoAccounts.PASSWORD);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(response.body()).getString("code")).isEqualTo("auth.certificate_required");
    }
  }
}
