package jp.tsunagu.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives {@code kill -9}: a separate JVM writes rows through the storage
 * layer and prints each id once its future completes; we kill it mid-stream with SIGKILL and check
 * every acknowledged id is in the database when it is opened again.
 */
class KillNineDurabilityTest {

  @TempDir
  Path dir;

  @Test
  void every_acknowledged_write_survives_kill_9() throws Exception {
    Path file = dir.resolve("tsunagu.db");
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StorageWriterProcess.class.getName(), file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Set<Long> acknowledged = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acknowledged.add(Long.parseLong(line.substring(4)));
          if (acknowledged.size() == 2_000) {
            writer.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            break;
          }
        }
      }
    }
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    assertThat(acknowledged).hasSize(2_000);

    try (Database database = Database.open(file, DatabaseTest.SETTINGS)) {
      Set<Long> stored = database.submitRead(c -> {
        Set<Long> ids = new HashSet<>();
        try (Statement statement = c.createStatement();
            ResultSet rs = statement.executeQuery("select id from acked_rows")) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        return ids;
      }).get();
      assertThat(stored).containsAll(acknowledged);
    }
  }
}
