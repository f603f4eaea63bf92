package jp.tsunagu.node.sensors;

import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeServices;

/** The demo's monitored households (filled in below). */
final class SensorsDemo {

  private SensorsDemo() {}

  static void seed(NodeServices services, AuditLog audit, PatientAccess patients) {
  }
}
