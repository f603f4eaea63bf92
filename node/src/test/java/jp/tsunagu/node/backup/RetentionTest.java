package jp.tsunagu.node.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.backup.Generation;
import org.junit.jupiter.api.Test;

/** Which backups pruning keeps: daily, weekly, monthly buckets, and never the last good one. */
class RetentionTest {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  final Retention retention = new Retention(7, 4, 12, TOKYO);

  @Test
  void a_year_of_daily_backups_keeps_seven_days_four_weeks_and_twelve_months() {
    List<Generation> daily = new ArrayList<>();
    Instant newest = Instant.parse("2026-12-05T17:00:00Z"); // 02:00 in Tokyo on 6 December
    for (int day = 0; day < 400; day++) {
      daily.add(generation(newest.minus(day, ChronoUnit.DAYS), true));
    }
    List<Generation> doomed = retention.doomed(daily);
    List<Generation> kept = new ArrayList<>(daily);
    kept.removeAll(doomed);
    assertThat(kept.subList(0, 7)).isEqualTo(daily.subList(0, 7));
    assertThat(kept).contains(daily.get(0)).hasSizeBetween(7 + 12 - 2, 7 + 4 + 12);
    assertThat(kept.get(kept.size() - 1).createdAt()).isAfter(newest.minus(366, ChronoUnit.DAYS));
    assertThat(kept.stream().map(g -> g.createdAt().atZone(TOKYO).getMonth()).distinct()).hasSize(12);
  }

  @Test
  void two_backups_on_one_day_keep_the_newer() {
    Generation morning = generation(Instant.parse("2026-12-05T17:00:00Z"), true);
    Generation noon = generation(Instant.parse("2026-12-06T03:00:00Z"), true);
    assertThat(retention.doomed(List.of(noon, morning))).containsExactly(morning);
  }

  @Test
  void a_backup_a_verification_found_broken_is_pruned_and_the_last_good_one_always_stays() {
    Generation broken = generation(Instant.parse("2026-12-06T03:00:00Z"), false);
    Generation old = generation(Instant.parse("2025-01-01T03:00:00Z"), true);
    assertThat(new Retention(1, 0, 0, TOKYO).doomed(List.of(broken, old))).containsExactly(broken);
    assertThat(new Retention(1, 0, 0, TOKYO).doomed(List.of(broken))).as("nothing good left: kept to look into")
        .isEmpty();
  }

  @Test
  void the_schedule_catches_up_a_missed_slot_once_and_waits_for_the_next() {
    BackupSchedule schedule = new BackupSchedule(java.time.LocalTime.of(2, 0), TOKYO);
    Instant slot = Instant.parse("2026-12-05T17:00:00Z");
    assertThat(schedule.latestSlot(slot.plusSeconds(60))).isEqualTo(slot);
    assertThat(schedule.latestSlot(slot.minusSeconds(60))).isEqualTo(slot.minus(1, ChronoUnit.DAYS));
    assertThat(schedule.due(slot.plusSeconds(3600), Optional.empty())).isTrue();
    assertThat(schedule.due(slot.plusSeconds(3600), Optional.of(slot.minus(2, ChronoUnit.DAYS)))).isTrue();
    assertThat(schedule.due(slot.plusSeconds(3600), Optional.of(slot.plusSeconds(1)))).isFalse();
    assertThat(schedule.due(slot.minusSeconds(1), Optional.of(slot.minus(1, ChronoUnit.DAYS).plusSeconds(5)))).isFalse();
  }

  static Generation generation(Instant at, boolean good) {
    Optional<Generation.Verification> verification = good ? Optional.empty()
        : Optional.of(new Generation.Verification(false, at.plusSeconds(60), "backup.tampered", "part 3"));
    return new Generation("ina-" + at.toEpochMilli(), "ina", at, 1000, 0, 0, List.of(), false, "122", verification);
  }
}
