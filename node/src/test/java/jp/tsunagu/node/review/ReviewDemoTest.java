package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's review board on ina: a panel of ina's own four (the fifth seat is a partner's), a released session of ten cases with a PDF each and
 * the pre-review under way; a reviewer logs in with a printed login and opens a stamped material;
 * seeding again adds nothing; another node has no review board.
 */
class ReviewDemoTest {

  @TempDir
  Path dir;

  @Test
  void the_ina_demo_has_a_panel_of_five_and_a_session_of_ten_cases_with_pre_review_under_way() {
    try (TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina"), dir)
        .asDemo())) {
      node.features().forEach(NodeFeature::seedDemo);
      node.features().forEach(NodeFeature::seedDemo);
      // Four of ina's own; the fifth, a partner node's professional, is seated once the federation's agreement
      // holds (the Kamiina demo does it; DemoOutputTest checks her).
      assertThat(TestSql.count(node, "select count(*) from review_panel_members")).isEqualTo(4);
      assertThat(TestSql.count(node, "select count(*) from review_cases")).isEqualTo(10);
      assertThat(TestSql.count(node, "select count(*) from review_materials")).isEqualTo(10);
      assertThat(TestSql.count(node, "select count(*) from review_opinions")).isEqualTo(19);
      assertThat(DemoAccounts.logins(node.services())).extracting(DemoAccounts.Login::loginId)
          .contains("ina-shinsakai", "ina-shika", "ina-shakai");
      CareClient dentist = new CareClient(node, "");
      dentist.login("ina-shika", DemoAccounts.PASSWORD);
      JsonObject sessions = dentist.get("/api/v1/review/my/sessions").json();
      String session = sessions.getJsonArray("sessions").getJsonObject(0).getString("id");
      JsonObject screen = dentist.get("/api/v1/review/my/sessions/" + session).json();
      assertThat(screen.getJsonArray("cases")).hasSize(10);
      assertThat(screen.encode()).doesNotContain("城倉");
      String material = screen.getJsonArray("cases").getJsonObject(0).getJsonArray("materials").getJsonObject(0)
          .getString("id");
      byte[] pdf = dentist.download("/api/v1/review/my/materials/" + material).body();
      assertThat(ReviewBed.text(pdf)).contains("主治医意見書", "赤羽 理恵");
    }
    try (TsunaguNode other = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("minowa"),
        dir.resolve("minowa")).asDemo())) {
      other.features().forEach(NodeFeature::seedDemo);
      assertThat(TestSql.count(other, "select count(*) from review_panels")).isZero();
    }
  }
}
