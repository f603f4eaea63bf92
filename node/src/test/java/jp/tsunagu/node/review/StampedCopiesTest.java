package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stamped copies kept in memory: for a short time, within a budget, gone with their material. */
class StampedCopiesTest {

  private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");

  private static StampedCopies.Key key(String reader, String material) {
    return new StampedCopies.Key(reader, material, reader + "　閲覧 2026/12/06 14:00");
  }

  @Test
  void a_copy_is_served_to_its_reader_for_its_material_and_stamp_until_it_expires() {
    StampedCopies copies = new StampedCopies(1000, Duration.ofMinutes(1));
    copies.put(key("a", "m1"), new byte[] {1, 2, 3}, T0);
    assertThat(copies.get(key("a", "m1"), T0.plusSeconds(59))).contains(new byte[] {1, 2, 3});
    assertThat(copies.get(key("b", "m1"), T0)).isEmpty();
    assertThat(copies.get(key("a", "m2"), T0)).isEmpty();
    assertThat(copies.get(new StampedCopies.Key("a", "m1", "a　閲覧 2026/12/06 14:01"), T0)).isEmpty();
    assertThat(copies.get(key("a", "m1"), T0.plusSeconds(60))).isEmpty();
    assertThat(copies.size()).isZero();
    assertThat(copies.bytes()).isZero();
  }

  @Test
  void memory_stays_within_the_budget_the_least_recently_used_going_first_and_an_oversized_copy_is_not_kept() {
    StampedCopies copies = new StampedCopies(100, Duration.ofMinutes(1));
    copies.put(key("a", "m1"), new byte[40], T0);
    copies.put(key("a", "m2"), new byte[40], T0);
    assertThat(copies.get(key("a", "m1"), T0)).isPresent(); // m1 now the most recently used
    copies.put(key("a", "m3"), new byte[40], T0);
    assertThat(copies.get(key("a", "m2"), T0)).isEmpty();
    assertThat(copies.get(key("a", "m1"), T0)).isPresent();
    assertThat(copies.bytes()).isEqualTo(80);
    copies.put(key("a", "m4"), new byte[101], T0);
    assertThat(copies.get(key("a", "m4"), T0)).isEmpty();
    assertThat(copies.bytes()).isLessThanOrEqualTo(100);
  }

  @Test
  void a_withdrawn_or_deleted_material_leaves_no_copy_for_any_reader() {
    StampedCopies copies = new StampedCopies(1000, Duration.ofMinutes(1));
    copies.put(key("a", "m1"), new byte[10], T0);
    copies.put(key("b", "m1"), new byte[10], T0);
    copies.put(key("a", "m2"), new byte[10], T0);
    copies.dropMaterial("m1");
    assertThat(copies.size()).isEqualTo(1);
    assertThat(copies.bytes()).isEqualTo(10);
    assertThat(copies.get(key("a", "m2"), T0)).isPresent();
  }
}
