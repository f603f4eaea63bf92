package jp.tsunagu.node.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.feature.NodeFeature;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's monitored households: three of the node's patients with a week of readings and their
 * hourly aggregates; the quiet one's alert falls due minutes after the start and none before; seeding
 * again adds nothing.
 */
class SensorsDemoTest {

  @TempDir
  Path dir;

  @Test
  void a_demo_node_monitors_three_households_and_the_quiet_one_raises_its_alert_within_minutes() {
    try (TsunaguNode node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(TestNodes.json("minowa"), dir)
        .asDemo())) {
      node.features().forEach(NodeFeature::seedDemo);
      node.features().forEach(NodeFeature::seedDemo);
      assertThat(TestSql.count(node, "select count(*) from sensor_households where status = 'active'")).isEqualTo(3);
      assertThat(TestSql.count(node, "select count(*) from sensor_devices")).isEqualTo(9);
      assertThat(TestSql.count(node, "select count(*) from sensor_hourly where door_events > 0")).isGreaterThan(30);
      assertThat(TestSql.count(node, "select count(*) from users where role = 'watch_centre'")).isEqualTo(1);
      AlertRules rules = node.feature(SensorsFeature.class).rulesWith(Clock.systemUTC(), RuleSettings.defaults());
      long now = Instant.now().toEpochMilli();
      CallCentreBed.await(rules.sweep(node.vertx(), now));
      assertThat(TestSql.count(node, "select count(*) from sensor_alerts where kind = 'no_activity'")).isZero();
      CallCentreBed.await(rules.sweep(node.vertx(), now + SensorsDemo.QUIET_ALERT_AFTER.toMillis()
          + Duration.ofSeconds(5).toMillis()));
      assertThat(TestSql.count(node, "select count(*) from sensor_alerts where kind = 'no_activity'")).isEqualTo(1);
    }
  }
}
