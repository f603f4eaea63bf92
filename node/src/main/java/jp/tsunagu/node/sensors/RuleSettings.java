package jp.tsunagu.node.sensors;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The node's rule settings: how long without a door event is "no activity" by the time of day of the
 * last one (a household may override it), when a battery is low, when a device or a gateway counts as
 * silent, how long an alert may stay unacknowledged before it escalates, how often the timer looks at
 * silence, and how often it looks for alerts due to escalate: that look is a read of an index that finds
 * nothing most of the time, so it runs often and an escalation is late by seconds, not by a whole sweep.
 */
record RuleSettings(int dayNoActivityHours, int nightNoActivityHours, int dayStartsHour, int nightStartsHour,
    int lowBatteryPercent, int deviceSilentHours, int gatewaySilentMinutes, int escalateAfterMinutes,
    int sweepSeconds, int escalationCheckSeconds, ZoneId zone) {

  /**
   * Someone who last opened a door in the evening is usually asleep until morning, so the night allows
   * longer: 10 hours after a daytime event, 14 after one from 18:00 to 06:00 (Japan time).
   */
  static RuleSettings defaults() {
    return new RuleSettings(10, 14, 6, 18, 20, 6, 120, 30, 60, 5, ZoneId.of("Asia/Tokyo"));
  }

  RuleSettings withEscalateAfterMinutes(int minutes) {
    return new RuleSettings(dayNoActivityHours, nightNoActivityHours, dayStartsHour, nightStartsHour,
        lowBatteryPercent, deviceSilentHours, gatewaySilentMinutes, minutes, sweepSeconds, escalationCheckSeconds, zone);
  }

  /** Hours without a door event after one at {@code lastDoorMs}: the household's own, else by time of day. */
  int noActivityHours(long lastDoorMs, Integer householdOverride) {
    if (householdOverride != null) {
      return householdOverride;
    }
    int hour = Instant.ofEpochMilli(lastDoorMs).atZone(zone).getHour();
    return hour >= dayStartsHour && hour < nightStartsHour ? dayNoActivityHours : nightNoActivityHours;
  }

  /** When no activity since {@code lastDoorMs} becomes an alert. */
  long noActivityDeadline(long lastDoorMs, Integer householdOverride) {
    return lastDoorMs + noActivityHours(lastDoorMs, householdOverride) * 3_600_000L;
  }
}
