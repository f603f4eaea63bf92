package jp.tsunagu.node.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the JVM itself did during a measurement: collections (how many, and their time as the collectors
 * count it) and the JIT compiler's time. A storage round prints it beside its rates, so a round that
 * moved can be told apart as the JVM's (a collection or a compilation inside a 30 ms ceiling) or the
 * machine's (the disk, a neighbour's load).
 */
record JvmActivity(long collections, long collectionMillis, long compilationMillis) {

  static JvmActivity now() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
      millis += Math.max(0, collector.getCollectionTime());
    }
    var compiler = ManagementFactory.getCompilationMXBean();
    long compiling = compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : 0;
    return new JvmActivity(count, millis, compiling);
  }

  JvmActivity since(JvmActivity before) {
    return new JvmActivity(collections - before.collections, collectionMillis - before.collectionMillis,
        compilationMillis - before.compilationMillis);
  }

  JvmActivity plus(JvmActivity other) {
    return new JvmActivity(collections + other.collections, collectionMillis + other.collectionMillis,
        compilationMillis + other.compilationMillis);
  }
}
