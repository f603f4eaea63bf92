package jp.tsunagu.node.teamsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A member node's writes between the home node's answer and their outbox rows' settlement: none is sent again
 * while it waits, nor when an outbox read made before its settlement's commit is answered after it (each a
 * repeat submission the home node would answer from what it stored).
 */
class AnsweredWritesTest {

  private static TeamSync.Outgoing write(String id) {
    return new TeamSync.Outgoing(id, "board", "envelope-" + id, 0, Instant.EPOCH);
  }

  @Test
  void an_answered_write_is_not_sent_again_while_it_waits_nor_after_the_apply_settled_it() {
    AnsweredWrites answered = new AnsweredWrites();
    List<TeamSync.Outgoing> read = List.of(write("a"), write("b"), write("c"));
    answered.accepted(List.of(write("a")), 7);
    assertThat(answered.notAnswered(read)).extracting(TeamSync.Outgoing::eventId).containsExactly("b", "c");

    // the apply settles a in its transaction; a read of the outbox begun before that commit still holds it
    answered.applied(List.of("a"));
    assertThat(answered.notAnswered(read)).extracting(TeamSync.Outgoing::eventId).containsExactly("b", "c");
    assertThat(answered.due(100)).as("nothing left to write for a").isEmpty();
  }

  @Test
  void a_write_applied_before_its_answer_leaves_the_answer_nothing_to_write() {
    AnsweredWrites answered = new AnsweredWrites();
    answered.applied(List.of("a"));
    answered.accepted(List.of(write("a"), write("b")), 3);
    assertThat(answered.due(3)).extracting(TeamSync.Outgoing::eventId).containsExactly("b");
  }

  @Test
  void the_sweep_settles_a_write_no_apply_took_once_due_and_it_waits_until_written() {
    AnsweredWrites answered = new AnsweredWrites();
    answered.accepted(List.of(write("a")), 5);
    assertThat(answered.due(4)).as("answered at sweep 5: not due before").isEmpty();
    assertThat(answered.due(5)).extracting(TeamSync.Outgoing::eventId).containsExactly("a");
    assertThat(answered.notAnswered(List.of(write("a")))).as("still waiting while its settlement is written").isEmpty();
    answered.written(List.of(write("a")));
    assertThat(answered.due(100)).isEmpty();
    assertThat(answered.notAnswered(List.of(write("a")))).as("a read begun before that commit").isEmpty();
  }
}
