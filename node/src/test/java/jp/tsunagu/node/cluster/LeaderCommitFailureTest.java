package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.waitFor;
import static jp.tsunagu.node.cluster.InProcessInstances.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.cluster.InProcessInstances.Instance;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.CommitHook;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader ships each batch to its followers before its own commit statement runs (so their commits
 * overlap its own): here its commit then fails, for real (SQLite refuses the {@code commit}: a deferred
 * foreign key of a table on the writer's connection alone, which is not replicated, is left dangling),
 * after a follower applied the batch. Three instances in this JVM, each with its own database file,
 * Hazelcast member and clustered Vert.x over TLS.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderCommitFailureTest {

  @TempDir
  Path dir;

  @AutoClose
  private final InProcessInstances bed = new InProcessInstances();
  private final List<Instance> instances = bed.all();

  @Test
  void a_commit_that_fails_after_its_batch_was_applied_by_a_follower_is_an_unknown_outcome_and_the_leader_steps_down()
      throws Exception {
    startThree();
    waitFor(() -> instances.stream().filter(i -> i.cluster().isLeader()).count() == 1);
    Instance leader = instances.stream().filter(i -> i.cluster().isLeader()).findFirst().orElseThrow();
    List<Instance> followers = instances.stream().filter(i -> i != leader).toList();
    long firstToken = leader.cluster().token();
    for (int i = 0; i < 5; i++) {
      note(leader, "訪問 " + i).get(30, TimeUnit.SECONDS);
    }
    assertThat(leader.cluster().link().followerPositions()).isNotEmpty();
    long before = position(leader);

    // A table of the writer's connection alone (temp: never captured), whose deferred foreign key makes
    // SQLite refuse the commit of a transaction that leaves it dangling.
    leader.database().submitWrite(c -> {
      ReplicaDumps.execute(c, "create temp table commit_fault_parent (id integer primary key)",
          "create temp table commit_fault_child (ref integer references commit_fault_parent (id)"
              + " deferrable initially deferred)");
      return null;
    }).get(30, TimeUnit.SECONDS);
    // Runs after the batch was shipped, before the commit statement: waits until a follower applied it.
    AtomicBoolean armed = new AtomicBoolean();
    leader.database().sentBeforeCommitHook("test.commit-fault", c -> armed.get() ? Boolean.TRUE : null,
        new CommitHook.SentBeforeCommit<Boolean>() {
          @Override
          public CompletionStage<?> send(Boolean value) {
            awaitQuietly(() -> followers.stream().anyMatch(f -> position(f) == before + 1));
            return null;
          }

          @Override
          public void committed(Boolean value) {}

          @Override
          public void notCommitted(Boolean value, Throwable failure) {}
        });
    armed.set(true);
    assertThatThrownBy(() -> leader.database().submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('送られたが確定しなかった記録')",
          "insert into commit_fault_child (ref) values (42)");
      return null;
    }).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .extracting(e -> ((CodedException) e).code()).isEqualTo("storage.outcome_unknown");
    armed.set(false);
    assertThat(position(leader)).as("not committed on the leader").isEqualTo(before);

    // Nothing more under its token: a write now is refused, not committed as another batch of that number.
    assertThatThrownBy(() -> note(leader, "同じ番号の別の記録").get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .extracting(e -> ((CodedException) e).code()).isEqualTo("cluster.not_leader");
    assertThat(position(leader)).isEqualTo(before);
    waitFor(() -> !leader.cluster().isLeader());
    assertThat(leader.cluster().link().followerPositions()).as("forgotten when it stopped leading").isEmpty();
    waitFor(() -> followers.stream().anyMatch(f -> f.cluster().isLeader()));
    Instance elected = followers.stream().filter(f -> f.cluster().isLeader()).findFirst().orElseThrow();
    assertThat(elected.cluster().token()).isGreaterThan(firstToken);
    assertThat(position(elected)).as("the most advanced follower, holding the batch, is elected")
        .isEqualTo(before + 1);

    note(elected, "新しいリーダーでの訪問").get(30, TimeUnit.SECONDS);
    long written = position(elected);
    waitFor(() -> instances.stream().allMatch(i -> position(i) == written));
    var expected = elected.database().submitRead(ReplicaDumps::dump).get();
    assertThat(expected.get("future_notes")).hasSize(7)
        .anySatisfy(row -> assertThat(row.toString()).contains("送られたが確定しなかった記録"));
    for (Instance instance : instances) {
      assertThat(instance.database().submitRead(ReplicaDumps::dump).get()).isEqualTo(expected);
    }
    assertThat(leader.cluster().isLeader()).isFalse();
  }

  private static java.util.concurrent.CompletableFuture<Object> note(Instance leader, String body) {
    return leader.database().submitWrite(c -> {
      ReplicaDumps.execute(c, "insert into future_notes (body) values ('" + body + "')");
      return null;
    });
  }

  private static void awaitQuietly(java.util.function.BooleanSupplier condition) {
    try {
      waitFor(condition);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startThree() throws Exception {
    bed.startAll(ClusterTestSupport.clusterOf(dir, "ina-commit-fault", 3,
        cluster -> cluster.put("syncReplicas", 1).put("cpMembers", 3)), true);
  }

}
