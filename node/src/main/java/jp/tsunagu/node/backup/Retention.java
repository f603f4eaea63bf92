package jp.tsunagu.node.backup;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import jp.tsunagu.federation.backup.Generation;

/**
 * Which backups pruning keeps: the newest backup of each of the last {@code daily} days that have
 * one, of the last {@code weekly} ISO weeks and of the last {@code monthly} months (a backup can
 * count for all three), and always the newest good backup. A backup a verification found broken
 * counts for none; it goes unless it is the only one left.
 */
record Retention(int daily, int weekly, int monthly, ZoneId zone) {

  /** @param newestFirst the target's complete backups, newest first */
  List<Generation> doomed(List<Generation> newestFirst) {
    Set<Generation> kept = new LinkedHashSet<>();
    newestFirst.stream().filter(Generation::good).findFirst().ifPresent(kept::add);
    kept.addAll(newest(newestFirst, daily, date -> date));
    kept.addAll(newest(newestFirst, weekly, date -> date.get(IsoFields.WEEK_BASED_YEAR) * 100
        + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    kept.addAll(newest(newestFirst, monthly, date -> date.getYear() * 100 + date.getMonthValue()));
    if (kept.isEmpty() && !newestFirst.isEmpty()) {
      kept.add(newestFirst.get(0)); // nothing good at all: keep the newest for the operator to look into
    }
    List<Generation> doomed = new ArrayList<>(newestFirst);
    doomed.removeAll(kept);
    return doomed;
  }

  private List<Generation> newest(List<Generation> newestFirst, int buckets, Function<LocalDate, Object> bucketOf) {
    List<Generation> kept = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (Generation generation : newestFirst) {
      if (kept.size() >= buckets) {
        break;
      }
      if (generation.good() && seen.add(bucketOf.apply(LocalDate.ofInstant(generation.createdAt(), zone)))) {
        kept.add(generation);
      }
    }
    return kept;
  }
}
