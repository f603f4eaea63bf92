package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.CPGroupId;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this instance's CP seat votes in every CP group yet. An instance started again takes a
 * seat ({@link CpSeat}) after removing its former process's, which shrinks every CP group to the two
 * others; Hazelcast then adds the new seat to each group as a voter, one group after another, in the
 * background. Until it has, the groups have two voters and losing either leaves no majority: the
 * writer's lock can be neither released nor taken (seen as a failover that never ended when the
 * leader was killed 10 s after another instance came back). So the instance says it is not ready
 * ({@code cluster.cp_seat_pending}) until its seat is in the METADATA group and in every CP group
 * there is (the node's lock and token generation live in the default group), and a load balancer, an
 * operator or a test waiting for every instance to be ready waits for the node to be fully redundant
 * again.
 */
final class CpVoting {

  static final String PENDING = "cluster.cp_seat_pending";

  private static final List<String> NEEDED = List.of(CPGroup.METADATA_CP_GROUP_NAME, CPGroup.DEFAULT_GROUP_NAME);

  /** Each question to the CP subsystem is bounded: the readiness check itself times out after 3 s. */
  private static final long ASK_MILLIS = 1_000;

  private final HazelcastInstance hazelcast;
  private final int cpMembers;
  /**
   * Once seen voting, kept for the life of the process: missing CP members are never removed
   * automatically here ({@link ClusterOptions}) and an instance removes only the seat at its own
   * address, so a live instance's seat stays a voter. It spares the CP groups a question on every
   * health check (twice a second from each load balancer), and a failover any delay from it.
   */
  private volatile boolean voting;

  CpVoting(HazelcastInstance hazelcast, int cpMembers) {
    this.hazelcast = hazelcast;
    this.cpMembers = cpMembers;
  }

  /**
   * What this instance's seat still lacks (no seat, or the groups it is not yet a voter of), or null
   * when it votes in every CP group. Blocking: it asks the METADATA group (a reader or worker thread).
   */
  String missing() {
    if (cpMembers < 1 || voting) {
      return null;
    }
    // Asked only with CP members configured: without (unsafe mode, tests) there is no CP subsystem to ask.
    CPSubsystemManagementService cp = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
    CPMember self = cp.getLocalCPMember();
    if (self == null) {
      return "no CP seat yet";
    }
    try {
      Set<String> groups = new LinkedHashSet<>(NEEDED);
      for (CPGroupId id : ask(cp.getCPGroupIds())) {
        groups.add(id.getName());
      }
      List<String> without = new ArrayList<>();
      for (String name : groups) {
        CPGroup group = ask(cp.getCPGroup(name));
        if (group != null && group.status() != CPGroup.CPGroupStatus.ACTIVE && !groupsNeeded(name)) {
          continue;
        }
        if (group == null || !votes(group.members(), self.getUuid())) {
          without.add(name);
        }
      }
      if (without.isEmpty()) {
        voting = true;
        return null;
      }
      return "not yet a voter in CP group(s) " + String.join(", ", without);
    } catch (TimeoutException e) {
      return "the CP groups did not answer within " + ASK_MILLIS + " ms";
    } catch (ExecutionException e) {
      return "the CP groups could not be asked: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while asking the CP groups";
    }
  }

  /**
   * The CP members and, for the METADATA group and every CP group, its voting members, by address
   * ({@code tsunagu-admin cluster status}'s {@code cp}): after an instance was started again, its
   * address must appear once in each, with the seat it took. Blocking, each question bounded; what did
   * not answer is named under {@code error}.
   */
  JsonObject seats() {
    JsonObject seats = new JsonObject();
    if (cpMembers < 1) {
      return seats;
    }
    CPSubsystemManagementService cp = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
    CPMember self = cp.getLocalCPMember();
    seats.put("self", self == null ? null : describe(self));
    try {
      seats.put("members", describe(ask(cp.getCPMembers())));
      JsonObject groups = new JsonObject();
      Set<String> names = new LinkedHashSet<>(NEEDED);
      for (CPGroupId id : ask(cp.getCPGroupIds())) {
        names.add(id.getName());
      }
      for (String name : names) {
        CPGroup group = ask(cp.getCPGroup(name));
        groups.put(name, group == null ? null : describe(group.members()));
      }
      seats.put("groups", groups);
    } catch (TimeoutException e) {
      seats.put("error", "the CP groups did not answer within " + ASK_MILLIS + " ms");
    } catch (ExecutionException e) {
      seats.put("error", "the CP groups could not be asked: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      seats.put("error", "interrupted while asking the CP groups");
    }
    return seats;
  }

  private static JsonArray describe(Collection<CPMember> members) {
    return new JsonArray(members.stream().map(CpVoting::describe).sorted().toList());
  }

  private static String describe(CPMember member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort() + "/" + member.getUuid();
  }

  /** The groups the node always uses: the METADATA group and the default one (the writer's lock, the token generation). */
  private static boolean groupsNeeded(String name) {
    return NEEDED.contains(name);
  }

  private static boolean votes(Collection<CPMember> members, UUID seat) {
    return members.stream().anyMatch(member -> member.getUuid().equals(seat));
  }

  private static <T> T ask(CompletionStage<T> stage) throws InterruptedException, ExecutionException,
      TimeoutException {
    return stage.toCompletableFuture().get(ASK_MILLIS, TimeUnit.MILLISECONDS);
  }
}
