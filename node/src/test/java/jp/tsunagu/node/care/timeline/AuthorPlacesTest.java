package jp.tsunagu.node.care.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.node.care.teams.Places;
import jp.tsunagu.node.cluster.BatchApplier;
import jp.tsunagu.node.cluster.BatchWriter;
import jp.tsunagu.node.cluster.ChangeCapture;
import jp.tsunagu.node.cluster.ReplicationBatch;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authors' places a timeline page shows from memory follow every change of them: on the instance
 * that writes it, and on a cluster's follower that applies the leader's rows (its own triggers fill
 * the touch table as the rows are applied). Two real database files, the leader's batches applied to
 * the follower as the cluster applies them.
 */
class AuthorPlacesTest {

  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  private static final String INA = "202096";
  private static final String MINOWA = "203831";

  @TempDir
  Path dir;

  private Database leader;
  private Database follower;
  private AuthorPlaces leaderPlaces;
  private AuthorPlaces followerPlaces;
  private BatchApplier applier;
  private final List<ReplicationBatch> batches = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    leader = Database.open(dir.resolve("leader.db"), SETTINGS);
    leaderPlaces = AuthorPlaces.fedBy(leader);
    BatchWriter gathering = new BatchWriter(() -> 1, leader.expectedSchemaVersion());
    leader.acknowledgingCommitHook("replication", gathering::gather, batch -> {
      if (batch != null) {
        batches.add(batch);
      }
      return null;
    });
    leader.submitWrite(ChangeCapture::install).get();

    follower = Database.open(dir.resolve("follower.db"), SETTINGS);
    followerPlaces = AuthorPlaces.fedBy(follower);
    BatchWriter refusing = new BatchWriter(() -> 0, follower.expectedSchemaVersion());
    follower.acknowledgingCommitHook("replication", refusing::gather, batch -> null);
    follower.submitWrite(ChangeCapture::install).get();
    applier = new BatchApplier(follower.expectedSchemaVersion());
  }

  @AfterEach
  void close() {
    leader.close();
    follower.close();
  }

  @Test
  void an_authors_moves_reach_the_places_kept_on_the_leader_and_on_a_follower() throws Exception {
    write("insert into facilities (id, name, prefecture, municipality_code, category, status, created_at) values"
        + " ('f-1', '伊那中央クリニック', '長野県', '" + INA + "', 'clinic', 'active', '2026-01-01T00:00:00Z'),"
        + " ('f-2', 'みのわ訪問看護ステーション', '長野県', '" + MINOWA + "', 'home_nursing', 'active', '2026-01-01T00:00:00Z')",
        "insert into users (id, facility_id, login_id, email, family_name, given_name, family_kana, given_kana,"
        + " profession, role, password_hash, status, created_at) values ('u-1', 'f-1', 'ns-place', 'ns@example.jp',"
        + " '宮坂', '由美', 'ミヤサカ', 'ユミ', 'nurse', 'professional', 'x', 'active', '2026-01-01T00:00:00Z')");
    assertPlace(Places.municipality(INA));
    assertThat(leaderPlaces.size()).as("kept after the first read").isEqualTo(1);
    assertThat(followerPlaces.size()).as("kept after the first read").isEqualTo(1);

    write("update facilities set municipality_code = '" + MINOWA + "' where id = 'f-1'");
    assertPlace(Places.municipality(MINOWA));

    write("update facilities set municipality_code = '" + INA + "' where id = 'f-1'",
        "update users set facility_id = 'f-2' where id = 'u-1'");
    assertPlace(Places.municipality(MINOWA));

    write("update users set facility_id = 'f-1' where id = 'u-1'");
    assertPlace(Places.municipality(INA));

    write("update users set home_node = 'minowa' where id = 'u-1'");
    assertThat(places(leader, leaderPlaces).homeNode()).isEqualTo("minowa");
    assertThat(places(follower, followerPlaces).homeNode()).isEqualTo("minowa");

    // The record of changes is each instance's own, emptied in the transaction that filled it.
    assertThat(batches).allSatisfy(batch -> assertThat(batch.changes().encode()).doesNotContain("author_touches"));
    assertThat(leader.submitRead(c -> count(c, "author_touches")).get()).isZero();
    assertThat(follower.submitRead(c -> count(c, "author_touches")).get()).isZero();
  }

  @Test
  void a_place_read_before_a_change_was_told_is_not_kept() throws Exception {
    write("insert into facilities (id, name, prefecture, municipality_code, category, status, created_at) values"
        + " ('f-1', '伊那中央クリニック', '長野県', '" + INA + "', 'clinic', 'active', '2026-01-01T00:00:00Z')",
        "insert into users (id, facility_id, login_id, email, family_name, given_name, family_kana, given_kana,"
        + " profession, role, password_hash, status, created_at) values ('u-1', 'f-1', 'ns-place', 'ns@example.jp',"
        + " '宮坂', '由美', 'ミヤサカ', 'ユミ', 'nurse', 'professional', 'x', 'active', '2026-01-01T00:00:00Z')");
    AuthorPlaces.Reading early = leaderPlaces.reading();
    write("update facilities set municipality_code = '" + MINOWA + "' where id = 'f-1'");

    leader.submitRead(c -> early.of(c, "u-1")).get();

    assertThat(leaderPlaces.size()).isZero();
    assertThat(places(leader, leaderPlaces).municipality()).isEqualTo(Places.municipality(MINOWA));
  }

  /** Writes on the leader in one transaction and applies its batch on the follower. */
  private void write(String... statements) throws Exception {
    int before = batches.size();
    leader.submitWrite(c -> {
      for (String sql : statements) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
          s.executeUpdate();
        }
      }
      return null;
    }).get();
    assertThat(batches).hasSize(before + 1);
    assertThat(follower.submitWrite(c -> applier.apply(c, batches.get(before))).get())
        .isEqualTo(BatchApplier.Outcome.APPLIED);
  }

  private void assertPlace(String municipality) throws Exception {
    assertThat(places(leader, leaderPlaces).municipality()).as("on the leader").isEqualTo(municipality);
    assertThat(places(follower, followerPlaces).municipality()).as("on the follower").isEqualTo(municipality);
  }

  private static AuthorPlaces.Place places(Database database, AuthorPlaces places) throws Exception {
    AuthorPlaces.Reading reading = places.reading();
    return database.submitRead(c -> reading.of(c, "u-1")).get();
  }

  private static long count(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select count(*) from " + table); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
