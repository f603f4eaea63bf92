package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CareIdsTest {

  @Test
  void an_id_is_its_milliseconds_in_twelve_hex_digits_then_sixteen_random_ones() {
    long before = System.currentTimeMillis();
    String id = CareIds.next();
    long after = System.currentTimeMillis();

    assertThat(id).matches("[0-9a-f]{28}");
    assertThat(Long.parseLong(id.substring(0, 12), 16)).isBetween(before, after);
  }

  @Test
  void ids_sort_in_the_order_they_were_made_and_never_repeat() throws Exception {
    String first = CareIds.next();
    Thread.sleep(2);
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(CareIds.next());
    }

    assertThat(made).hasSize(10_000).allSatisfy(id -> assertThat(id.substring(0, 12)).isGreaterThan(first.substring(0, 12)));
  }
}
