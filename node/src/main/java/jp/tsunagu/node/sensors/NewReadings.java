package jp.tsunagu.node.sensors;

import java.util.List;

/**
 * Told, after the batch that stored them committed, of the readings a gateway delivered that the node
 * did not hold yet (a repeated reading is not new), so that rules are evaluated as readings arrive.
 * Called on the ingest's event loop; an implementation must not block it.
 */
interface NewReadings {

  /** One stored reading. {@code tempDeci} and {@code humidityDeci} are set for a climate reading only. */
  record Reading(String deviceId, String householdId, String place, long sequence, long atMs, String kind,
      Integer tempDeci, Integer humidityDeci, Integer battery) {}

  void stored(List<Reading> readings);
}
