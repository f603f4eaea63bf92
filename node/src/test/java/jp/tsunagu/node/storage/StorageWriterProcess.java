package jp.tsunagu.node.storage;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Semaphore;

/** The child process of {@link KillNineDurabilityTest}: writes forever, acknowledging each commit. */
public final class StorageWriterProcess {

  public static void main(String[] args) throws Exception {
    Database database = Database.open(Path.of(args[0]), DatabaseTest.SETTINGS);
    database.submitWrite(c -> {
      try (Statement statement = c.createStatement()) {
        return statement.executeUpdate("create table acked_rows (id integer primary key, body text not null)");
      }
    }).get();
    Semaphore inFlight = new Semaphore(32);
    for (long id = 1; ; id++) {
      long rowId = id;
      inFlight.acquire();
      database.submitWrite(c -> {
        try (PreparedStatement insert = c.prepareStatement("insert into acked_rows(id, body) values (?, ?)")) {
          insert.setLong(1, rowId);
          insert.setString(2, "訪問記録 " + rowId);
          return insert.executeUpdate();
        }
      }).whenComplete((ok, error) -> {
        if (error == null) {
          synchronized (System.out) {
            System.out.println("ack " + rowId);
            System.out.flush();
          }
        }
        inFlight.release();
      });
    }
  }
}
