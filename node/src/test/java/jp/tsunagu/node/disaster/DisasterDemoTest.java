package jp.tsunagu.node.disaster;

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
 * The demo's register: a few hundred fictional people over the real 地区 of the node's municipality,
 * the demo's patients among them as proposed matches, confirmed as version 1 and placed at 地区
 * centres (no address search); seeding again adds nothing.
 */
class DisasterDemoTest {

  @TempDir
  Path dir;

  @Test
  void a_kamiina_demo_node_holds_a_register_over_its_own_districts_with_its_patients_proposed_as_matches() {
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("minowa"), dir)
        .asDemo());
    try {
      node.features().forEach(NodeFeature::seedDemo);
      node.features().forEach(NodeFeature::seedDemo);
      assertThat(TestSql.count(node, "select count(*) from disaster_register_imports where status = 'confirmed'"
          + " and version = 1")).isEqualTo(1);
      long people = TestSql.count(node, "select count(*) from disaster_register_people");
      assertThat(people).isBetween(300L, 400L);
      assertThat(TestSql.count(node, "select count(*) from disaster_register_people where municipality_code <> ?",
          "203831")).isZero();
      assertThat(TestSql.count(node, "select count(distinct district) from disaster_register_people"))
          .isGreaterThan(10);
      assertThat(TestSql.count(node, "select count(*) from disaster_register_people where approximate = 0")).isZero();
      assertThat(TestSql.count(node, "select count(*) from disaster_register_matches where status = 'proposed'"))
          .isEqualTo(TestSql.count(node, "select count(*) from patients"));
      // the demo patient of 松島 is in the register under 松島
      assertThat(TestSql.count(node, "select count(*) from disaster_register_people where kana = 'ムカイヤマシズ'"
          + " and district = '松島'")).isEqualTo(1);
    } finally {
      node.close();
    }
  }
}
