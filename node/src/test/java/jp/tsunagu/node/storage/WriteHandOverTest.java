package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteHandOverTest {

  @Test
  void every_item_of_several_adders_reaches_the_taker_once_and_in_each_adders_order() throws Exception {
    WriteHandOver<long[]> handOver = new WriteHandOver<>();
    int adders = 4;
    int each = 20_000;
    List<Thread> threads = new ArrayList<>();
    for (int a = 0; a < adders; a++) {
      int adder = a;
      Thread thread = new Thread(() -> {
        for (int n = 0; n < each; n++) {
          handOver.add(new long[] {adder, n});
          if (n % 1_000 == 0) {
            Thread.yield();
          }
        }
      });
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    long[] next = new long[adders];
    List<long[]> drained = new ArrayList<>();
    int taken = 0;
    while (taken < adders * each) {
      // the three ways the writer takes: blocking, waiting a while, and what is there now
      long[] item = switch (taken % 3) {
        case 0 -> handOver.take();
        case 1 -> handOver.poll(1, TimeUnit.MILLISECONDS);
        default -> null;
      };
      drained.clear();
      if (item != null) {
        drained.add(item);
      }
      handOver.drainTo(drained, 32);
      for (long[] one : drained) {
        assertThat(one[1]).as("adder %d's next item", one[0]).isEqualTo(next[(int) one[0]]);
        next[(int) one[0]]++;
        taken++;
      }
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(next).containsOnly(each);
    assertThat(handOver.isEmpty()).isTrue();
  }

  @Test
  void a_taker_parked_for_want_of_items_is_woken_by_the_next_one() throws Exception {
    WriteHandOver<String> handOver = new WriteHandOver<>();
    for (int round = 0; round < 200; round++) {
      CompletableFuture<String> taken = new CompletableFuture<>();
      Thread taker = new Thread(() -> {
        try {
          taken.complete(handOver.take());
        } catch (InterruptedException e) {
          taken.completeExceptionally(e);
        }
      });
      taker.start();
      if (round % 2 == 0) {
        // let it park first half of the time
        while (taker.getState() != Thread.State.WAITING && taker.isAlive()) {
          Thread.onSpinWait();
        }
      }
      handOver.add("write " + round);
      assertThat(taken.get(30, TimeUnit.SECONDS)).isEqualTo("write " + round);
      taker.join();
    }
  }

  @Test
  void a_wait_with_a_limit_ends_empty_when_nothing_comes_and_an_item_taken_back_is_not_handed_over() throws Exception {
    WriteHandOver<String> handOver = new WriteHandOver<>();
    assertThat(handOver.poll(2, TimeUnit.MILLISECONDS)).isNull();
    String item = "late write";
    handOver.add(item);
    assertThat(handOver.remove(item)).isTrue();
    assertThat(handOver.remove(item)).as("taken back once only").isFalse();
    assertThat(handOver.poll()).isNull();
  }
}
