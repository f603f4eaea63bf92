package jp.tsunagu.node.vaccination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's vaccination histories: every demo patient has doses recorded by the node's visiting
 * nurse, each with its version and its notice on the patient's timeline, one plan 希望 and one 見送り;
 * seeding again adds nothing.
 */
class VaccinationDemoTest {

  @TempDir
  Path dir;

  @Test
  void every_demo_patient_has_a_vaccination_history_noticed_on_the_timeline_and_seeding_again_adds_nothing() {
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("ina"), dir).asDemo());
    try {
      node.features().forEach(NodeFeature::seedDemo);
      long doses = TestSql.count(node, "select count(*) from vaccination_doses");
      node.features().forEach(NodeFeature::seedDemo);
      assertThat(TestSql.count(node, "select count(*) from vaccination_doses")).isEqualTo(doses);
      long patients = TestSql.count(node, "select count(*) from patients");
      assertThat(patients).isPositive();
      assertThat(TestSql.count(node, "select count(distinct patient_id) from vaccination_doses")).isEqualTo(patients);
      assertThat(TestSql.count(node, "select count(*) from vaccination_dose_versions")).isEqualTo(doses);
      assertThat(TestSql.count(node, "select count(*) from posts p join vaccination_doses d on d.notice_id = p.id"))
          .isEqualTo(doses);
      assertThat(TestSql.count(node, "select count(*) from vaccination_plans where status = 'wished'")).isEqualTo(1);
      assertThat(TestSql.count(node, "select count(*) from vaccination_plans where status = 'declined'")).isEqualTo(1);
      assertThat(TestSql.count(node, "select count(*) from vaccination_plans where status = 'planned'"
          + " and planned_for is not null and assignee is not null and assignee_name <> ''")).isEqualTo(1);
      assertThat(TestSql.count(node, "select count(*) from vaccination_reactions where kind like '発熱%'")).isEqualTo(1);
    } finally {
      node.close();
    }
  }
}
