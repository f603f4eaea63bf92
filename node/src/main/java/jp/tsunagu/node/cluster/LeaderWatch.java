package jp.tsunagu.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Which instance leads, as a follower learns it without asking: the cluster's state names each
 * leader elected, and membership tells at once when a member is gone. Either way the instance that
 * led is told to {@code gone}: the moment the old leader's member leaves (its process stopped or its
 * connections dropped), or a new leader is named (the old one's lock lapsed). What a follower has
 * forwarded to the old leader then has no answer to wait for ({@link PendingForwards}). Each leader
 * named is told to {@code named}: an instance that was paused, cut off or busy while the leader
 * changed may miss batches the new leader sent meanwhile, and fetches them at once
 * ({@link FollowerCatchUp}) rather than when the next write shows the gap.
 */
final class LeaderWatch implements AutoCloseable {

  /** The member attribute under which Vert.x's cluster manager keeps the member's node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> state;
  private final Consumer<String> gone;
  private final Consumer<String> named;
  private volatile String leader;
  private UUID entryListener;
  private UUID membershipListener;

  LeaderWatch(HazelcastInstance hazelcast, IMap<String, String> state, Consumer<String> gone,
      Consumer<String> named) {
    this.hazelcast = hazelcast;
    this.state = state;
    this.gone = gone;
    this.named = named;
  }

  /** Starts listening (blocking: Hazelcast's calls wait on the network), then reads who leads now. */
  LeaderWatch start(String key) {
    entryListener = state.addEntryListener(new Named(), key, true);
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // a member that joins changes nobody's leader
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // A leader is named by its Vert.x node id, which is a member attribute, not the member's UUID.
        String left = event.getMember().getAttribute(VERTX_NODE_ID);
        if (left != null && left.equals(leader)) {
          gone.accept(left);
        }
      }
    });
    leader = nodeOf(state.get(key));
    return this;
  }

  /** The instance last named leader (its cluster node id), or null before any was. */
  String leader() {
    return leader;
  }

  private final class Named implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      named(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      named(event.getValue());
    }
  }

  private void named(String value) {
    String before = leader;
    leader = nodeOf(value);
    // Named again (re-elected after a lapse) is a change too: what was on its way may have been lost.
    if (before != null) {
      gone.accept(before);
    }
    if (leader != null) {
      named.accept(leader);
    }
  }

  private static String nodeOf(String leaderJson) {
    return leaderJson == null ? null : new JsonObject(leaderJson).getString("node");
  }

  @Override
  public void close() {
    try {
      if (entryListener != null) {
        state.removeEntryListener(entryListener);
      }
      if (membershipListener != null) {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      }
    } catch (RuntimeException e) {
      // the member is shutting down already; its listeners go with it
    }
  }
}
