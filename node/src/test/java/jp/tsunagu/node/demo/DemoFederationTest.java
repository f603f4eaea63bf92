package jp.tsunagu.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import io.vertx.core.json.JsonObject;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestSql;
import jp.tsunagu.node.testing.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoFederationTest {

  @TempDir
  Path dir;

  @Test
  void the_demo_starts_the_three_kamiina_nodes_each_ready_with_its_own_data_directory() {
    try (DemoFederation demo = DemoFederation.start(dir, 28443)) {
      assertThat(demo.nodes()).extracting(n -> n.services().config().node().name())
          .containsExactly("ina", "minamiminowa", "minowa");
      for (TsunaguNode node : demo.nodes()) {
        assertThat(node.services().config().demo()).isTrue();
        assertThat(node.services().config().dataDir()).startsWith(dir);
        assertThat(new TestHttp(node).get("/health/ready").statusCode()).isEqualTo(200);
      }
      assertThat(demo.nodes()).extracting(TsunaguNode::webPort).doesNotHaveDuplicates();

      TsunaguNode ina = demo.nodes().get(0);
      TsunaguNode minamiminowa = demo.nodes().get(1);
      TsunaguNode minowa = demo.nodes().get(2);
      assertThat(count(minamiminowa, "select count(*) from care_boards where home_node = ?", "ina")).isEqualTo(1);
      assertThat(count(minowa, "select count(*) from care_boards where home_node = ?", "minamiminowa")).isEqualTo(1);
      assertThat(count(minamiminowa, "select count(*) from posts p join care_boards b on b.id = p.board_id"
          + " where b.home_node = ?", "ina")).as("the 伊那市 patient's history on the nurse's node").isGreaterThan(20);
      waitFor(() -> count(ina, "select count(*) from posts where author_id = ? and sync_state is null"
          + " and kind = 'note' and category = '申し送り'",
          "minamiminowa-kango@minamiminowa") == 2);
      // the partner's nurse vaccinated the 伊那市 patient from her node: the dose is stored at its home node
      waitFor(() -> count(ina, "select count(*) from vaccination_doses where recorded_by = ?",
          "minamiminowa-kango@minamiminowa") == 1);
      // Meetings on the two cross-node teams, each reaching the partner professional's node: two set up
      // at the patient's home node, and one the partner's professional set up from her own node.
      waitFor(() -> count(ina, "select count(*) from meetings where status = ?", "scheduled") == 3);
      assertThat(count(ina, "select count(*) from meetings where organizer_id = ?", "minamiminowa-kango@minamiminowa"))
          .as("the partner nurse's 地域ケア会議, taken at the patient's home node").isEqualTo(1);
      waitFor(() -> count(minamiminowa, "select count(*) from meetings m join care_boards b on b.id = m.board_id"
          + " where b.home_node is null and m.status = ?", "scheduled") == 3);
      waitFor(() -> count(minamiminowa, "select count(*) from meetings m join care_boards b on b.id = m.board_id"
          + " where b.home_node = ?", "ina") == 3);
      waitFor(() -> count(minowa, "select count(*) from meetings m join care_boards b on b.id = m.board_id"
          + " where b.home_node = ?", "minamiminowa") == 3);
      assertThat(count(minamiminowa, "select count(*) from meeting_submissions where board_id <> ?", ""))
          .as("nothing left waiting or refused").isZero();

      // The family notebook's 訪問予定: two of the home team's, and one the partner's nurse submitted from
      // her node, which the home node took; the family sees all three on the notebook.
      waitFor(() -> count(ina, "select count(*) from family_visits where planned_by = ? and cancelled_at is null",
          "minamiminowa-kango@minamiminowa") == 1);
      assertThat(count(ina, "select count(*) from family_visits where planned_by <> ? and cancelled_at is null",
          "minamiminowa-kango@minamiminowa")).isEqualTo(2);
      waitFor(() -> count(minamiminowa, "select count(*) from family_visits v join care_boards b on b.id ="
          + " v.patient_id where b.home_node = ? and v.cancelled_at is null", "ina") == 3);
      assertThat(notebookVisits(ina)).hasSize(3);

      // Each node publishes resources of its own municipality; the agreement's resources-directory scope
      // brings the partners' onto every portal, marked with their municipality.
      for (TsunaguNode node : demo.nodes()) {
        String code = node.services().config().node().municipalities().get(0);
        assertThat(count(node, "select count(*) from resources where published = 1 and municipality_code = ?", code))
            .isGreaterThanOrEqualTo(7);
        assertThat(count(node, "select count(*) from resources where municipality_code <> ?", code)).isZero();
        assertThat(count(node, "select count(*) from resources where phone <> '' and phone not like ?", "0265-00-%"))
            .as("only fictional phone numbers").isZero();
      }
      waitFor(() -> portalSearch(ina, "サロン").contains("連携市町村の地域資源"));
      assertThat(portalSearch(ina, "サロン")).contains("荒井ふれあいサロン", "北殿おしゃべりサロン", "松島ふれあいサロン")
          .contains("南箕輪村").contains("箕輪町").doesNotContain("準備中");
      // A demo patient's 周辺資源 works offline: the demo keeps its fictional patients' homes as found places.
      WebSession doctor = WebSession.login(ina, "ina-ishi", DemoAccounts.PASSWORD);
      JsonObject patient = new JsonObject(doctor.get("/api/v1/patients").body()).getJsonArray("patients")
          .stream().map(JsonObject.class::cast).filter(p -> "春日".equals(p.getString("familyName"))).findFirst().orElseThrow();
      var nearby = doctor.get("/api/v1/patients/" + patient.getString("id") + "/nearby-resources");
      assertThat(nearby.statusCode()).as(nearby.body()).isEqualTo(200);
      assertThat(new JsonObject(nearby.body()).getJsonArray("resources")).isNotEmpty();
      // A year of generated usage for 行政's report, and the pact report over the three nodes.
      WebSession staff = WebSession.login(ina, "ina-gyosei", DemoAccounts.PASSWORD);
      JsonObject usage = new JsonObject(staff.get("/api/v1/reports/usage").body());
      assertThat(usage.getBoolean("generated")).isTrue();
      JsonObject pact = new JsonObject(staff.get("/api/v1/reports/pact").body());
      assertThat(pact.getJsonArray("nodes")).extracting(n -> ((JsonObject) n).getString("node"))
          .containsExactlyInAnyOrder("ina", "minamiminowa", "minowa");
      assertThat(pact.getJsonArray("unanswered")).isEmpty();
      waitFor(() -> portalSearch(minowa, "体操").contains("西箕輪いきいき体操教室"));
      assertThat(portalSearch(minowa, "体操")).contains("木下ころばん体操の会", "大芝高原ふれあいウォーキングの会");
    }
    // A second start of the same demo adds nothing.
    try (DemoFederation again = DemoFederation.start(dir, 28443)) {
      assertThat(count(again.nodes().get(0), "select count(*) from meetings where board_id <> ?", "")).isEqualTo(3);
      assertThat(count(again.nodes().get(1), "select count(*) from meeting_submissions where board_id <> ?", ""))
          .as("her meeting is not set up again").isZero();
      assertThat(count(again.nodes().get(0), "select count(*) from resources where municipality_code = ?", "202096"))
          .isEqualTo(8);
    }
  }

  /** The visits on the demo family's notebook, as the family's phone reads them (password and TOTP). */
  private static io.vertx.core.json.JsonArray notebookVisits(TsunaguNode ina) {
    String printed = jp.tsunagu.node.family.FamilyDemo.login(ina.services()).orElseThrow();
    String secret = printed.substring(printed.indexOf("TOTP キー ") + "TOTP キー ".length(), printed.length() - 1);
    jp.tsunagu.node.care.CareClient phone = new jp.tsunagu.node.care.CareClient(ina, "family").anonymous();
    jp.tsunagu.node.care.CareClient.Reply login = phone.post("/api/v1/family/auth/login", new JsonObject()
        .put("loginId", jp.tsunagu.node.family.FamilyDemo.LOGIN_ID).put("password", DemoAccounts.PASSWORD)
        .put("code", jp.tsunagu.node.family.FamilyLogins.code(secret, 0)));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    phone.useCsrf(login.json().getString("csrfToken"));
    return phone.get("/api/v1/family/notebook").json().getJsonArray("visits");
  }

  private static String portalSearch(TsunaguNode node, String query) {
    return new TestHttp(node).get("/resources/search?q=" + java.net.URLEncoder.encode(query,
        java.nio.charset.StandardCharsets.UTF_8)).body();
  }

  private static long count(TsunaguNode node, String sql, String param) {
    return TestSql.count(node, sql, param);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("the condition holds within 30 s").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
