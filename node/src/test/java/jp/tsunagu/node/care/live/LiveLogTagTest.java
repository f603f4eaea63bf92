package jp.tsunagu.node.care.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A row's tag is the start of a SHA-256 of what the row holds, the same whatever thread works it out and
 * however many it worked out before: every instance and every replay must give the same id to one row.
 */
class LiveLogTagTest {

  private static String expected(long id, String board, String event, String at) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest((id + "\n" + board + "\n" + at + "\n" + event).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, LiveLog.TAG_DIGITS / 2);
  }

  @Test
  void a_tag_is_the_start_of_the_rows_sha256_every_time_on_every_thread() throws Exception {
    String event = "{\"type\":\"post\",\"postId\":\"p-1\",\"text\":\"訪問しました\"}";
    String want = expected(42, "board-1", event, "2026-12-08T00:00:00Z");
    assertThat(LiveLog.tag(42, "board-1", event, "2026-12-08T00:00:00Z")).isEqualTo(want);
    // a second row between two tags of the same row: the thread's digest starts afresh each time
    assertThat(LiveLog.tag(43, "board-2", "{}", "2026-12-08T00:00:01Z"))
        .isEqualTo(expected(43, "board-2", "{}", "2026-12-08T00:00:01Z"));
    assertThat(LiveLog.tag(42, "board-1", event, "2026-12-08T00:00:00Z")).isEqualTo(want);

    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      java.util.List<Future<Boolean>> all = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        all.add(threads.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            long id = thread * 10_000L + i;
            if (!LiveLog.tag(id, "board-" + thread, event, "at").equals(expected(id, "board-" + thread, event, "at"))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> done : all) {
        assertThat(done.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
