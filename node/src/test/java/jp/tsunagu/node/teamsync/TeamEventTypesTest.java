package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.tsunagu.federation.envelope.Event;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.replication.SyncRejection;
import jp.tsunagu.node.care.replication.TeamEvents;
import jp.tsunagu.node.disaster.DisasterFeature;
import jp.tsunagu.node.feature.TeamEventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry of team event types team sync accepts: exactly what the node's features declare. */
class TeamEventTypesTest {

  @TempDir
  Path dir;

  @Test
  void the_care_feature_declares_each_of_its_event_types_once_and_team_sync_knows_no_other() {
    try (CareTestbed bed = CareTestbed.start(dir)) {
      List<TeamEventType> declared = bed.node.feature(CareFeature.class).teamEventTypes();
      assertThat(declared).extracting(TeamEventType::type).containsExactlyElementsOf(TeamEvents.TYPES);
      TeamEventTypes types = new TeamEventTypes(declared);
      assertThat(types.names()).containsExactlyInAnyOrderElementsOf(TeamEvents.TYPES);
      assertThat(types.of(event(TeamEvents.POST)).origin()).isEqualTo(TeamEventType.Origin.MEMBER_NODE);
      assertThat(types.of(event(TeamEvents.OPENED)).origin()).isEqualTo(TeamEventType.Origin.HOME_NODE);
      assertThatThrownBy(() -> types.of(event("vaccination.recorded")))
          .isInstanceOfSatisfying(SyncRejection.class, e -> assertThat(e.code()).isEqualTo("sync.type_unknown"));
    }
  }

  @Test
  void the_disaster_feature_declares_the_safety_check_a_partner_member_makes_and_the_node_accepts_it() {
    try (CareTestbed bed = CareTestbed.start(dir)) {
      List<TeamEventType> declared = bed.node.feature(DisasterFeature.class).teamEventTypes();
      assertThat(declared).extracting(TeamEventType::type).containsExactly("disaster.safety.recorded");
      assertThat(declared.get(0).origin()).isEqualTo(TeamEventType.Origin.MEMBER_NODE);
      assertThat(declared.get(0).named().ids(new io.vertx.core.json.JsonObject().put("noticeId", "n1")))
          .containsExactly("n1");
    }
  }

  @Test
  void a_type_declared_twice_stops_the_node_from_being_assembled() {
    TeamEventType post = new TeamEventType("care.post.created", TeamEventType.Origin.MEMBER_NODE,
        TeamEventType.NOTHING_NAMED, TeamEventType.NO_OBJECT_CHECK, (c, event, arrival) -> List.of());
    assertThatThrownBy(() -> new TeamEventTypes(List.of(post, post)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("care.post.created");
  }

  private static Event event(String type) {
    return new Event("e1", type, "ina", "ina", List.of("board"), Instant.parse("2026-12-01T00:00:00Z"), Map.of());
  }
}
