package jp.tsunagu.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader-only verticles that listen to the agreements (the partner resources' sync, the review copies
 * of ended agreements) start at every election of an instance and give their listeners back when it loses
 * the lead: an instance elected again and again does not gather a set per term.
 */
class AgreementListenersTest {

  @TempDir
  Path dir;

  @Test
  void an_instance_that_led_twice_and_follows_again_has_the_listeners_of_one_that_never_led() throws Exception {
    List<TsunaguNode> nodes = new ArrayList<>();
    try {
      LeaderMoves.startThree(dir, nodes);
      TsunaguNode first = LeaderMoves.leaderOf(nodes);
      int following = nodes.stream().filter(node -> node != first).mapToInt(AgreementListenersTest::listeners)
          .min().orElseThrow();
      ClusterTestSupport.waitFor(() -> listeners(first) > following);

      LeaderMoves.moveUntil(nodes, first, false);
      LeaderMoves.moveUntil(nodes, first, true);
      TsunaguNode last = LeaderMoves.moveUntil(nodes, first, false);

      List<TsunaguNode> followers = nodes.stream().filter(node -> node != last).toList();
      assertThat(followers).contains(first);
      ClusterTestSupport.waitFor(() -> followers.stream().allMatch(node -> listeners(node) == following));
      assertThat(followers).allSatisfy(node -> assertThat(listeners(node)).isEqualTo(following));
    } finally {
      LeaderMoves.stopAll(nodes);
    }
  }

  private static int listeners(TsunaguNode node) {
    return TestNodes.federation(node).agreements().listenerCount();
  }
}
