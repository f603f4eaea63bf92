package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request ids: 16 lower-case hex digits, none given twice, from many threads at once. */
class RequestIdsTest {

  @Test
  void ids_made_on_several_threads_at_once_are_16_hex_digits_and_never_repeat() throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> all = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        all.add(threads.submit(() -> {
          for (int i = 0; i < 50_000; i++) {
            ids.add(RequestIds.newId());
          }
        }));
      }
      for (Future<?> done : all) {
        done.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(ids).hasSize(200_000).allMatch(id -> id.matches("[0-9a-f]{16}"));
  }
}
