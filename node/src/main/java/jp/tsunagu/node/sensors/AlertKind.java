package jp.tsunagu.node.sensors;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a rule found. The call centre works those about the resident; a silent device or gateway and a
 * low battery are 機器の異常, for 行政 (who arranges the provider's visit), not for the call centre.
 */
enum AlertKind {
  NO_ACTIVITY("no_activity", "長時間の無活動", "call_centre"),
  HEAT("heat", "熱中症の危険（室温・湿度）", "call_centre"),
  COLD("cold", "低温", "call_centre"),
  DEVICE_SILENT("device_silent", "機器の異常（センサーの無通信）", "staff"),
  GATEWAY_SILENT("gateway_silent", "機器の異常（ゲートウェイの無通信）", "staff"),
  LOW_BATTERY("low_battery", "電池残量の低下", "staff");

  private final String code;
  private final String labelJa;
  private final String audience;

  AlertKind(String code, String labelJa, String audience) {
    this.code = code;
    this.labelJa = labelJa;
    this.audience = audience;
  }

  String code() {
    return code;
  }

  String labelJa() {
    return labelJa;
  }

  String audience() {
    return audience;
  }

  static Optional<AlertKind> fromCode(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }
}
