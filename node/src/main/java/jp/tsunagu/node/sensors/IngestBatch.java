package jp.tsunagu.node.sensors;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A gateway's batch as read from its JSON, every field checked: which gateway, its batch id, when it
 * was sent, and the readings (temperature and humidity kept in tenths, as the table keeps them).
 */
record IngestBatch(String gateway, String batch, long sentMs, List<Reading> readings) {

  /** One reading as delivered. */
  record Reading(String device, long sequence, long atMs, String kind, Integer tempDeci, Integer humidityDeci,
      Integer battery) {}

  /** Clock skew a device may have before its readings count as "in the future". */
  static final long FUTURE_SLACK_MS = 5 * 60_000;
  private static final Set<String> KINDS = Set.of("open", "close", "climate");
  private static final int MAX_ID = 64;

  /** The gateway id alone, read before the signature is checked (it names the key to check with). */
  static String gatewayOf(BatchReader.Read read) {
    return id(read.head(), "gateway");
  }

  /**
   * @param read the body as read by {@link BatchReader} (strict JSON of the documented shape)
   * @param maxReadings the node's limit per batch
   * @param nowMs the node's clock
   * @param oldestMs readings before this are past the retention period
   */
  static IngestBatch read(BatchReader.Read read, int maxReadings, long nowMs, long oldestMs, int retentionDays) {
    Map<String, Object> body = read.head();
    String gateway = id(body, "gateway");
    Object batchId = body.get("batch");
    if (!(batchId instanceof String batch) || batch.isEmpty() || batch.length() > 128) {
      throw IngestErrors.malformed("batch は 1〜128 文字の文字列です");
    }
    long sentMs = integer(body.get("sentMs"), "sentMs");
    if (read.count() > maxReadings) {
      throw IngestErrors.tooManyReadings(maxReadings);
    }
    if (sentMs > nowMs + FUTURE_SLACK_MS) {
      throw IngestErrors.inFuture();
    }
    List<Reading> readings = new ArrayList<>(read.readings().size());
    for (Map<String, Object> json : read.readings()) {
      Reading reading = reading(json);
      if (reading.atMs() > nowMs + FUTURE_SLACK_MS) {
        throw IngestErrors.inFuture();
      }
      if (reading.atMs() < oldestMs) {
        throw IngestErrors.tooOld(retentionDays);
      }
      readings.add(reading);
    }
    return new IngestBatch(gateway, batch, sentMs, readings);
  }

  private static Reading reading(Map<String, Object> json) {
    String device = id(json, "device");
    long sequence = integer(json.get("sequence"), "sequence");
    if (sequence < 0) {
      throw IngestErrors.malformed("sequence は 0 以上の整数です");
    }
    long atMs = integer(json.get("atMs"), "atMs");
    Object kindValue = json.get("kind");
    if (!(kindValue instanceof String kind) || !KINDS.contains(kind)) {
      throw IngestErrors.malformed("kind は open, close, climate のいずれかです");
    }
    Integer temp = null;
    Integer humidity = null;
    if (kind.equals("climate")) {
      temp = tenths(json.get("temperature"), "temperature", -50, 80);
      humidity = tenths(json.get("humidity"), "humidity", 0, 100);
    } else if (json.containsKey("temperature") || json.containsKey("humidity")) {
      throw IngestErrors.malformed("temperature と humidity は climate の測定値だけに付けます");
    }
    Integer battery = null;
    if (json.get("battery") != null) {
      long value = integer(json.get("battery"), "battery");
      if (value < 0 || value > 100) {
        throw IngestErrors.malformed("battery は 0〜100 の整数です");
      }
      battery = (int) value;
    }
    return new Reading(device, sequence, atMs, kind, temp, humidity, battery);
  }

  private static String id(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (!(value instanceof String id) || id.isEmpty() || id.length() > MAX_ID) {
      throw IngestErrors.malformed(field + " は 1〜" + MAX_ID + " 文字の文字列です");
    }
    return id;
  }

  private static long integer(Object value, String field) {
    if (value instanceof Integer || value instanceof Long
        || value instanceof BigInteger big && big.bitLength() < 64) {
      return ((Number) value).longValue();
    }
    throw IngestErrors.malformed(field + " は整数です");
  }

  private static Integer tenths(Object value, String field, int min, int max) {
    if (!(value instanceof Number number) || number instanceof BigInteger) {
      throw IngestErrors.malformed(field + " は数値です");
    }
    double v = number.doubleValue();
    if (!(v >= min && v <= max)) {
      throw IngestErrors.malformed(field + " は " + min + "〜" + max + " の範囲です");
    }
    return (int) Math.round(v * 10);
  }
}
