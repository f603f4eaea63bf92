package jp.tsunagu.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.demo.DemoFederation;
import jp.tsunagu.node.logging.LogSetup;
import jp.tsunagu.node.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What the demo shows on the console: warnings and errors only (access and federation lines go to the
 * demo's log file), and the banner with every node's own host name, its logins and the mailbox.
 */
class DemoOutputTest {

  @TempDir
  Path dir;

  private final PrintStream originalErr = System.err;

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    LogSetup.apply(new NodeConfig.Log("text", "INFO"));
  }

  @Test
  void routine_logs_go_to_the_demo_log_file_and_the_console_keeps_only_warnings() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    Path log = dir.resolve(DemoCommand.LOG_FILE);
    LogSetup.demo(log);
    LoggerFactory.getLogger("tsunagu.access").info("GET /health/ready 200 id=r-1");
    LoggerFactory.getLogger("jp.tsunagu.node.federation.Sync").info("pulled 0 events from minowa");
    LoggerFactory.getLogger("jp.tsunagu.node.identity.Mailer").warn("mail 'x' to a recipient at demo.invalid not sent");
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("not sent").doesNotContain("GET /health/ready").doesNotContain("pulled 0 events");
    assertThat(Files.readString(log)).contains("GET /health/ready 200", "pulled 0 events", "not sent");
  }

  @Test
  void the_banner_names_each_nodes_own_host_its_logins_the_mailbox_and_the_log_and_no_request_log_reaches_the_console()
      throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    Path log = dir.resolve(DemoCommand.LOG_FILE);
    LogSetup.demo(log);
    try (DemoFederation demo = DemoFederation.start(dir, 58443)) {
      for (TsunaguNode node : demo.nodes()) {
        new TestHttp(node).get("/health/ready");
      }
      String banner = DemoCommand.banner(demo, dir, log);
      for (TsunaguNode node : demo.nodes()) {
        String name = node.services().config().node().name();
        assertThat(banner).contains("https://" + name + ".localhost:" + node.webPort())
            .contains(name + "-gyosei", name + "-kanri", name + "-kango", name + "-kyukyu");
        // The demo's 人生会議 and medical facts, for a demo emergency access to show.
        assertThat(jp.tsunagu.node.testing.TestSql.count(node, "select count(*) from acp_versions")).isEqualTo(3);
        assertThat(jp.tsunagu.node.testing.TestSql.count(node,
            "select count(*) from patients p join care_boards b on b.id = p.id"
                + " where b.home_node is null and p.allergies = ''")).isZero();
      }
      // The family notebook of the cross-node patient 竹松 様: its login and the TOTP key to add to an app.
      assertThat(banner).containsPattern("login ina-kazoku +ここのーと 竹松 様のご家族（https://ina\\.localhost:\\d+"
          + "/family\\.html・TOTP キー [A-Z2-7]{32}）");
      // 伊那市's review panel: five, the fifth a 南箕輪村 nurse (the agreement grants certification-review); her
      // package is on her node, where she logs in and sees her cases, and the banner names her under it.
      TsunaguNode ina = demo.nodes().get(0);
      TsunaguNode minamiminowa = demo.nodes().get(1);
      assertThat(jp.tsunagu.node.testing.TestSql.count(ina, "select count(*) from review_panel_members")).isEqualTo(5);
      assertThat(jp.tsunagu.node.testing.TestSql.count(ina, "select count(*) from review_panel_members m"
          + " join review_appointments a on a.id = m.appointment_id where a.node_id = 'minamiminowa'")).isEqualTo(1);
      assertThat(banner).containsPattern("login minamiminowa-kango +審査委員 藤森 美穂（伊那市 第1合議体・連携先の委員）"
          + "資料と事前審査: https://minamiminowa\\.localhost:\\d+/#/review-partner");
      assertThat(banner.indexOf("審査委員 藤森 美穂")).isGreaterThan(banner.indexOf("https://minamiminowa.localhost"))
          .isLessThan(banner.indexOf("https://minowa.localhost"));
      jp.tsunagu.node.care.CareClient reviewer = new jp.tsunagu.node.care.CareClient(minamiminowa, "");
      reviewer.login("minamiminowa-kango", jp.tsunagu.node.identity.DemoAccounts.PASSWORD);
      io.vertx.core.json.JsonArray held = reviewer.get("/api/v1/review/partner/sessions").json()
          .getJsonArray("sessions");
      assertThat(held).hasSize(1);
      assertThat(held.getJsonObject(0).getJsonArray("cases")).hasSize(10);
      assertThat(held.encode()).contains("第1合議体").doesNotContain("城倉", "北原 健一");
      assertThat(banner).contains("救急・消防 救急隊員 宮坂 翔", "救急・消防 救急隊員 丸山 大輔", "救急・消防 救急隊員 浦野 拓也");
      assertThat(banner).contains("田中 明子", "唐沢 恵", "白鳥 陽子")
          .contains(demo.mailbox().url().toString()).contains("デモ用メールボックス").contains(log.toString())
          .doesNotContain("https://127.0.0.1");
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).as("the console during start-up and requests").doesNotContain(" INFO ")
        .doesNotContain("/health/ready");
    assertThat(Files.readString(log)).contains("/health/ready");
  }
}
