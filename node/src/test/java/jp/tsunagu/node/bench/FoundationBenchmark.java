package jp.tsunagu.node.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.sqlite.SQLiteConfig;

/**
 * The foundation's figures, measured in one run against baselines measured in the same run:
 * <ul>
 *   <li>committed writes per second through the node's storage layer with 32 concurrent writers,
 *       against plain JDBC with the same pragmas committing one row per transaction, and against
 *       all rows in one transaction (the ceiling);</li>
 *   <li>start-up to {@code /health/ready} with an empty data directory, against a bare Vert.x HTTPS
 *       server with the same certificate answering its first request.</li>
 * </ul>
 * Run with {@code mvn -B -q -pl node -am -Pbench verify -DskipTests}.
 */
public final class FoundationBenchmark {

  private static final int WRITERS = 32;
  private static final int ROWS_PER_WRITER = 400;
  private static final int ONE_PER_TRANSACTION_ROWS = 2_000;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-bench-");
    System.out.println("Tsunagu foundation benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
    storage(dir);
    startup(dir);
    System.exit(0);
  }

  private static void storage(Path dir) throws Exception {
    NodeConfig.Storage settings = new NodeConfig.Storage(4, Duration.ofSeconds(10), 256);
    // warm-up: JIT and file system
    nodeWrites(dir.resolve("warmup.db"), settings, 8, 200);

    double node = nodeWrites(dir.resolve("node.db"), settings, WRITERS, ROWS_PER_WRITER);
    double onePerTransaction = jdbcOnePerTransaction(dir.resolve("jdbc-each.db"), ONE_PER_TRANSACTION_ROWS);
    double ceiling = jdbcSingleTransaction(dir.resolve("jdbc-one.db"), WRITERS * ROWS_PER_WRITER);

    System.out.printf(Locale.ROOT, "%nstorage, synchronous=FULL, WAL:%n");
    System.out.printf(Locale.ROOT, "  node storage layer, %d writers x %d rows: %,10.0f committed writes/s%n",
        WRITERS, ROWS_PER_WRITER, node);
    System.out.printf(Locale.ROOT, "  baseline: plain JDBC, one row per transaction:   %,10.0f rows/s%n", onePerTransaction);
    System.out.printf(Locale.ROOT, "  ceiling:  plain JDBC, all rows in one transaction: %,10.0f rows/s%n", ceiling);
    System.out.printf(Locale.ROOT, "  ratio to one-row-per-transaction: %6.1fx   (target >= 5x)   %s%n",
        node / onePerTransaction, node / onePerTransaction >= 5 ? "MET" : "NOT MET");
    System.out.printf(Locale.ROOT, "  ratio to the ceiling:             %6.2f    (target >= 0.3)  %s%n",
        node / ceiling, node / ceiling >= 0.3 ? "MET" : "NOT MET");
  }

  private static double nodeWrites(Path file, NodeConfig.Storage settings, int writers, int rowsEach)
      throws Exception {
    try (Database database = Database.open(file, settings)) {
      database.submitWrite(c -> execute(c, "create table bench_rows (id integer primary key, writer integer not null,"
          + " body text not null)")).get();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      long started = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        running.add(pool.submit(() -> {
          for (int n = 0; n < rowsEach; n++) {
            database.submitWrite(c -> {
              try (PreparedStatement insert = c.prepareStatement(
                  "insert into bench_rows(writer, body) values (?, ?)")) {
                insert.setInt(1, writer);
                insert.setString(2, "訪問看護記録: 血圧 128/76、体温 36.5℃、食事は全量摂取。");
                return insert.executeUpdate();
              }
            }).get();
          }
          return null;
        }));
      }
      for (Future<?> writer : running) {
        writer.get(10, TimeUnit.MINUTES);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      pool.shutdown();
      return writers * rowsEach / seconds;
    }
  }

  private static Connection jdbc(Path file) throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    execute(connection, "create table bench_rows (id integer primary key, writer integer not null, body text not null)");
    return connection;
  }

  private static double jdbcOnePerTransaction(Path file, int rows) throws Exception {
    try (Connection connection = jdbc(file);
        PreparedStatement insert = connection.prepareStatement("insert into bench_rows(writer, body) values (?, ?)")) {
      long started = System.nanoTime();
      for (int n = 0; n < rows; n++) {
        insert.setInt(1, 0);
        insert.setString(2, "訪問看護記録: 血圧 128/76、体温 36.5℃、食事は全量摂取。");
        insert.executeUpdate();
      }
      return rows / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static double jdbcSingleTransaction(Path file, int rows) throws Exception {
    try (Connection connection = jdbc(file);
        PreparedStatement insert = connection.prepareStatement("insert into bench_rows(writer, body) values (?, ?)")) {
      long started = System.nanoTime();
      connection.setAutoCommit(false);
      for (int n = 0; n < rows; n++) {
        insert.setInt(1, 0);
        insert.setString(2, "訪問看護記録: 血圧 128/76、体温 36.5℃、食事は全量摂取。");
        insert.executeUpdate();
      }
      connection.commit();
      return rows / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static int execute(Connection connection, String sql) throws java.sql.SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  private static void startup(Path dir) throws Exception {
    // warm-up start, so both measurements below run on a warm JVM
    TsunaguNode.start(TestNodes.config(dir.resolve("warmup-node"), "minowa")).close();

    long started = System.nanoTime();
    TsunaguNode node = TsunaguNode.start(TestNodes.config(dir.resolve("empty-node"), "ina"));
    TestHttp http = new TestHttp(node);
    HttpResponse<String> ready = http.get("/health/ready");
    double nodeSeconds = (System.nanoTime() - started) / 1e9;
    if (ready.statusCode() != 200) {
      throw new AssertionError("node not ready: " + ready.body());
    }
    String certificate = node.services().keys().webCertificatePem();
    String key = node.services().keys().webPrivateKeyPem();
    java.security.cert.X509Certificate trusted = node.services().keys().identity().tlsCertificate();
    node.close();

    long bareStarted = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
            .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate))
                .setKeyValue(Buffer.buffer(key))))
        .requestHandler(request -> request.response().end("{\"status\":\"UP\"}"))
        .listen(0, "127.0.0.1").await();
    new TestHttp(java.net.URI.create("https://127.0.0.1:" + server.actualPort()), trusted).get("/health/ready");
    double bareSeconds = (System.nanoTime() - bareStarted) / 1e9;
    vertx.close().await();

    System.out.printf(Locale.ROOT, "%nstart-up to /health/ready, empty data directory (keys, CA and schema created):%n");
    System.out.printf(Locale.ROOT, "  node:                                      %6.3f s   (target < 3 s)  %s%n",
        nodeSeconds, nodeSeconds < 3 ? "MET" : "NOT MET");
    System.out.printf(Locale.ROOT, "  baseline: bare Vert.x HTTPS server, same certificate: %6.3f s%n", bareSeconds);
    System.out.printf(Locale.ROOT, "  ratio node / bare server: %.1fx%n", nodeSeconds / bareSeconds);
  }
}
