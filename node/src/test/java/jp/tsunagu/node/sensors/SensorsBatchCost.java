package jp.tsunagu.node.sensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.WriterTimes;

/**
 * The writer's CPU for gateways' minutes stored as the ingest stores them ({@link ReadingSql#check} and
 * {@link ReadingSql#storePart} in the bulk lane), on a real file with the node's migrations, without HTTP,
 * signatures or the timeline's clients: the figure a busy machine moves least, for trying a change to a
 * batch's cost in a few minutes. The households, gateways and readings are {@link SensorsBenchmark}'s; each
 * batch has {@code people} small people's writes queued after it (an audit-like row with a scattered
 * index), which join its transaction as the timeline's audit entries do. Run from the test classpath:
 * {@code java -cp … jp.tsunagu.node.sensors.SensorsBatchCost HOUSEHOLDS GATEWAYS WARM_MINUTES MINUTES PEOPLE}
 * (the full size: 10000 1000 2 2 2).
 */
public final class SensorsBatchCost {

  private SensorsBatchCost() {}

  public static void main(String[] args) throws Exception {
    int households = Integer.parseInt(args[0]);
    int gatewayCount = Integer.parseInt(args[1]);
    int warmMinutes = Integer.parseInt(args[2]);
    int minutes = Integer.parseInt(args[3]);
    int people = Integer.parseInt(args[4]);
    Path dir = Files.createTempDirectory("tsunagu-batch-cost-");
    Path file = dir.resolve("tsunagu.db");
    NodeConfig.Storage settings = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
    Database.open(file, settings).close();
    List<SensorsBenchmark.Gateway> gateways = seed(file, households, gatewayCount);
    try (Database database = Database.open(file, settings)) {
      long firstMinute = System.currentTimeMillis() / 60_000 - warmMinutes - minutes;
      for (int m = 0; m < warmMinutes; m++) {
        minute(database, gateways, firstMinute + m, people);
      }
      WriterTimes before = database.writerTimes();
      ThreadIo io = ThreadIo.now();
      long bytesBefore = databaseBytes(database);
      long readings = 0;
      for (int m = warmMinutes; m < warmMinutes + minutes; m++) {
        readings += minute(database, gateways, firstMinute + m, people);
      }
      WriterTimes spent = database.writerTimes().minus(before);
      long written = ThreadIo.now().bytesSince(io, "tsunagu-sqlite-");
      long grown = databaseBytes(database) - bytesBefore;
      System.out.printf(Locale.ROOT, "%,d households on %,d gateways: %,d bulk transactions, %,d readings; bulk lane"
          + " CPU %.1f us a reading, %.0f us a transaction; all %,d transactions %.0f us each, of which the commit"
          + " %.0f us; load average %.2f%n", households, gatewayCount, spent.bulkTransactions(), readings,
          spent.bulkCpuNanos() / 1e3 / readings, spent.bulkCpuNanos() / 1e3 / spent.bulkTransactions(),
          spent.transactions(), spent.transactionCpuNanos() / 1e3 / spent.transactions(),
          spent.commitCpuNanos() / 1e3 / spent.transactions(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      // Counts a busy machine does not change: what the writer's thread wrote (WAL frames and the automatic
      // checkpoints' copies; the people's writes' too unless PEOPLE is 0), and the pages the rows took.
      System.out.printf(Locale.ROOT, "  a bulk transaction: the writer's thread wrote %.1f KiB, held the writer %.0f us"
          + " (its commit %.0f us); the database grew %.1f bytes a reading: %,.0f bytes a household a day at one"
          + " reading a sensor a minute (7,200)%n", written / 1024.0 / spent.bulkTransactions(),
          spent.bulkNanos() / 1e3 / spent.bulkTransactions(), spent.bulkCommitNanos() / 1e3 / spent.bulkTransactions(),
          grown / (double) readings, grown * 7_200.0 / readings);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** The database's pages in use, in bytes (free pages left out), as a reader sees it. */
  private static long databaseBytes(Database database) {
    return database.submitRead(c -> {
      try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("select (p.page_count -"
          + " f.freelist_count) * z.page_size from pragma_page_count p, pragma_freelist_count f, pragma_page_size z")) {
        rs.next();
        return rs.getLong(1);
      }
    }).join();
  }

  /** Every gateway's batch of the minute in the bulk lane, each followed by the people's writes; answers the readings. */
  private static long minute(Database database, List<SensorsBenchmark.Gateway> gateways, long minute, int people) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    long readings = 0;
    for (SensorsBenchmark.Gateway gateway : gateways) {
      IngestBatch batch = batch(gateway, minute);
      readings += batch.readings().size();
      writes.add(database.submitBulkWrite(c -> {
        ReadingSql.Checked checked = ReadingSql.check(c, batch);
        if (checked.refusal() != null) {
          throw checked.refusal();
        }
        return ReadingSql.storePart(c, batch.gateway(), batch.readings(), checked, System.currentTimeMillis());
      }));
      for (int p = 0; p < people; p++) {
        writes.add(database.submitWrite(SensorsBatchCost::personsWrite));
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    return readings;
  }

  private static IngestBatch batch(SensorsBenchmark.Gateway gateway, long minute) {
    List<IngestBatch.Reading> readings = new ArrayList<>();
    for (var r : SensorsBenchmark.readings(gateway, minute, minute + 1)) {
      readings.add(new IngestBatch.Reading(r.device(), r.sequence(), r.atMs(), r.kind(),
          r.temperature() == null ? null : r.temperature().movePointRight(1).intValue(),
          r.humidity() == null ? null : r.humidity().movePointRight(1).intValue(), r.battery()));
    }
    return new IngestBatch(gateway.id(), "b", System.currentTimeMillis(), readings);
  }

  private static int personsWrite(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into cost_people (at, target) values (?, ?)")) {
      s.setString(1, Instant.now().toString());
      s.setString(2, "board:" + Long.toHexString(System.nanoTime() * 0x9E3779B97F4A7C15L));
      return s.executeUpdate();
    }
  }

  /**
   * The benchmark's gateways, households and devices, written on a plain connection (no account for
   * {@code issued_by} and {@code enrolled_by}: foreign keys are off there); the devices get their keys
   * from the migrations' triggers, gateway by gateway, as enrolment gives them.
   */
  private static List<SensorsBenchmark.Gateway> seed(Path file, int households, int gatewayCount) throws SQLException {
    List<SensorsBenchmark.Gateway> gateways = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("create table cost_people (n integer primary key, at text not null, target text not null)");
        s.execute("create index cost_people_target on cost_people (target)");
      }
      try (PreparedStatement g = c.prepareStatement("insert into sensor_gateways (id, name, provider, public_key, status,"
          + " rate_per_minute, issued_by, issued_at) values (?, ?, 'b', '{}', 'active', 600, 'u', 'now')");
          PreparedStatement h = c.prepareStatement("insert into sensor_households (id, register_person_key,"
              + " resident_name, address, district, phone, status, consent_by, consent_relation, consent_at,"
              + " enrolled_by, enrolled_at) values (?, ?, '試験 太郎', '伊那市荒井1-1', '伊那', '0265-00-0000', 'active',"
              + " '試験 太郎', '本人', 'now', 'u', 'now')");
          PreparedStatement d = c.prepareStatement("insert into sensor_devices (id, household_id, gateway_id, place,"
              + " kind) values (?, ?, ?, ?, ?)")) {
        for (int n = 0; n < gatewayCount; n++) {
          SensorsBenchmark.Gateway gateway = new SensorsBenchmark.Gateway("bgw-" + n, null, new ArrayList<>());
          gateways.add(gateway);
          g.setString(1, gateway.id());
          g.setString(2, gateway.id());
          g.executeUpdate();
          for (int household = n; household < households; household += gatewayCount) {
            String id = "bhh-" + household;
            gateway.households().add(id);
            h.setString(1, id);
            h.setString(2, "person-" + id);
            h.executeUpdate();
            for (String place : SensorsBenchmark.PLACES) {
              d.setString(1, id + "-" + place);
              d.setString(2, id);
              d.setString(3, gateway.id());
              d.setString(4, place);
              d.setString(5, place.equals("room") ? "climate" : "door");
              d.executeUpdate();
            }
          }
        }
      }
      c.commit();
    }
    return gateways;
  }
}
