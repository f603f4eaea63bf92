package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a clustered instance tells the load balancer it is ready, and the reason it gives when not. */
class ClusterReadinessTest {

  private static final List<String> PRESENT = List.of("a", "b", "c");

  @Test
  void the_leader_is_ready_whatever_the_others_published() {
    ClusterReadiness r = ClusterReadiness.of(true, "a", null, PRESENT, null, 40, 100);
    assertThat(r.ready()).isTrue();
    assertThat(r.details().getString("role")).isEqualTo("leader");
    assertThat(r.details().getString("self")).isEqualTo("a");
    assertThat(r.details().getLong("lag")).isZero();
  }

  @Test
  void a_follower_within_the_bound_is_ready_and_shows_its_lag() {
    ClusterReadiness r = ClusterReadiness.of(false, "b", "a", PRESENT, 150L, 50, 100);
    assertThat(r.ready()).isTrue();
    assertThat(r.details().getLong("lag")).isEqualTo(100);
    assertThat(r.details().getString("leader")).isEqualTo("a");
    assertThat(r.details().containsKey("error")).isFalse();
  }

  @Test
  void a_follower_more_than_the_bound_behind_is_not_ready() {
    ClusterReadiness r = ClusterReadiness.of(false, "b", "a", PRESENT, 151L, 50, 100);
    assertThat(r.ready()).isFalse();
    assertThat(r.details().getString("error")).isEqualTo(ClusterReadiness.LAGGING);
    assertThat(r.details().getLong("lag")).isEqualTo(101);
    assertThat(r.details().getInteger("maxReadyLag")).isEqualTo(100);
  }

  @Test
  void a_follower_ahead_of_what_the_leader_last_published_has_no_lag() {
    assertThat(ClusterReadiness.of(false, "b", "a", PRESENT, 10L, 12, 0).details().getLong("lag")).isZero();
  }

  @Test
  void without_a_leader_elected_no_instance_is_ready() {
    ClusterReadiness r = ClusterReadiness.of(false, "b", null, PRESENT, null, 0, 100);
    assertThat(r.ready()).isFalse();
    assertThat(r.details().getString("error")).isEqualTo(ClusterReadiness.NO_LEADER);
  }

  @Test
  void a_leader_that_left_the_members_is_no_leader() {
    ClusterReadiness r = ClusterReadiness.of(false, "b", "a", List.of("b", "c"), 30L, 30, 100);
    assertThat(r.ready()).isFalse();
    assertThat(r.details().getString("error")).isEqualTo(ClusterReadiness.NO_LEADER);
  }

  @Test
  void an_instance_that_lost_the_lock_it_was_named_for_is_not_ready() {
    ClusterReadiness r = ClusterReadiness.of(false, "a", "a", PRESENT, 30L, 30, 100);
    assertThat(r.ready()).isFalse();
    assertThat(r.details().getString("error")).isEqualTo(ClusterReadiness.NO_LEADER);
  }

  @Test
  void a_leader_that_has_not_yet_published_its_position_leaves_followers_out() {
    ClusterReadiness r = ClusterReadiness.of(false, "b", "a", PRESENT, null, 30, 100);
    assertThat(r.ready()).isFalse();
    assertThat(r.details().getString("error")).isEqualTo(ClusterReadiness.NO_LEADER);
  }
}
