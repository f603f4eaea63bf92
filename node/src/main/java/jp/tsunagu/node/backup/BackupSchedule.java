package jp.tsunagu.node.backup;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A daily backup time in the municipality's time zone. A slot missed (the node was down at 02:00)
 * is caught up as soon as the node runs again; each slot gets one attempt, so a failing target is
 * not hammered: it is reported (the run's record, the stale warning) and tried again at the next slot.
 */
record BackupSchedule(LocalTime at, ZoneId zone) {

  /** The newest slot at or before {@code now}. */
  Instant latestSlot(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    ZonedDateTime today = local.with(at);
    return (today.isAfter(local) ? today.minusDays(1) : today).toInstant();
  }

  /** Whether a backup is due: no attempt since the newest slot. */
  boolean due(Instant now, Optional<Instant> lastAttempt) {
    return lastAttempt.map(last -> last.isBefore(latestSlot(now))).orElse(true);
  }
}
