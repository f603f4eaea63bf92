package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * What each instance says it is doing, as every member can see it (a Hazelcast map of words, no
 * data): {@code joining} while it compares its database with the leader's, {@code bootstrapping}
 * while it copies the leader's snapshot, then {@code leader}, {@code follower} or {@code diverged}.
 * {@code tsunagu-admin cluster status} shows it per instance; nothing decides on it.
 */
final class InstanceStates {

  static final String JOINING = "joining";
  static final String BOOTSTRAPPING = "bootstrapping";
  static final String LEADER = "leader";
  static final String FOLLOWER = "follower";
  static final String DIVERGED = "diverged";

  private static final String MAP = "tsunagu-cluster-instance-states";

  private InstanceStates() {
  }

  static IMap<String, String> of(HazelcastInstance hazelcast) {
    return hazelcast.getMap(MAP);
  }

  static void say(HazelcastInstance hazelcast, String self, String state) {
    of(hazelcast).putAsync(self, state);
  }
}
