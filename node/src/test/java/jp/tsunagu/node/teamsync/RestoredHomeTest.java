package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.wire.ErrorResponse;
import jp.tsunagu.federation.wire.FederationV1;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.federation.FederationClient;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.CareClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patient's home node restored from a backup older than what its partner holds: it finds the
 * partner ahead at start, takes back the events it lost from the partner's replica (each verified as
 * countersigned by itself), and only then gives out the next seq, so both nodes end with the same
 * log and no post twice. A partner that cannot give a seq back keeps the board held (writes answered
 * {@code 503 sync.home_recovering}).
 */
class RestoredHomeTest {

  @TempDir
  Path dir;
  @AutoClose
  CrossNodeTestbed bed;

  @Test
  void a_home_restored_from_an_older_backup_takes_back_what_its_partner_holds_and_reuses_no_seq() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    written(doctor.post(posts(patientId), note("初回訪問。バイタル安定。")));
    written(nurse.post(posts(patientId), note("訪問看護開始。")));
    converged(patientId);

    Path backup = dir.resolve("ina-backup.db");
    backUp(bed.node("ina"), backup);
    long headOfBackup = head(bed.node("ina"), patientId);

    JsonObject lost = written(doctor.post(posts(patientId), note("バックアップ後の訪問診療。")));
    written(nurse.post(posts(patientId), note("バックアップ後の訪問看護。")));
    written(doctor.post("/api/v1/posts/" + lost.getString("id") + "/comments",
        new JsonObject().put("body", "バックアップ後のコメント。")));
    converged(patientId);
    Map<Long, String> logBeforeRestore = log(bed.node("ina"), patientId);
    assertThat(logBeforeRestore.size()).as("events the backup lacks").isGreaterThan((int) headOfBackup);

    restore("ina", backup);

    eventually("the restored home takes back the events its partner holds", () ->
        log(bed.node("ina"), patientId).equals(logBeforeRestore));
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select min(json_extract(detail, '$.from')) from audit_log"
        + " where action = 'sync.home.recovered' and target = 'board:' || ?", patientId))
        .as("taken back from right after the backup's head").isEqualTo(headOfBackup + 1);
    assertThat(audited(bed.node("ina"), "sync.home.behind")).as("the partner ahead was found and recorded")
        .isGreaterThanOrEqualTo(1);
    assertThat(audited(bed.node("ina"), "sync.home.recovered")).isGreaterThanOrEqualTo(1);
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("the board is released once the log holds what the partner holds", () ->
        !readiness(bed.node("ina")).containsKey("homeRecovery")
            || readiness(bed.node("ina")).getJsonObject("homeRecovery").getJsonArray("partnersAhead").isEmpty());
    assertThat(bodies(doctorAgain, patientId)).contains("バックアップ後の訪問診療。", "バックアップ後の訪問看護。");

    written(doctorAgain.post(posts(patientId), note("復元後の最初の投稿。")));
    long next = logBeforeRestore.size() + 1;
    assertThat(log(bed.node("ina"), patientId)).as("the next post gets the next unused seq").containsKey(next)
        .hasSize((int) next);
    converged(patientId);
    assertThat(log(bed.node("minamiminowa"), patientId)).isEqualTo(log(bed.node("ina"), patientId));
    for (CareClient reader : List.of(doctorAgain, nurse)) {
      assertThat(bodies(reader, patientId)).doesNotHaveDuplicates().hasSize(5)
          .contains("復元後の最初の投稿。", "バックアップ後の訪問看護。");
    }
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from comments c join posts p"
        + " on p.id = c.post_id where p.board_id = ?", patientId)).as("the comment taken back too").isEqualTo(1);
  }

  @Test
  void events_taken_back_from_one_partner_reach_a_partner_that_was_down_and_all_three_logs_end_the_same()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    CareClient caremane = bed.professional("minowa", "mw-caremane", "箕輪", "care_manager", "みのわ居宅介護支援事業所",
        "care_management");
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    CrossNodeTestbed.join(doctor, caremane, "mw-caremane@minowa", patientId);
    written(doctor.post(posts(patientId), note("初回訪問。")));
    converged(patientId);
    eventually("the third node holds the log too", () ->
        log(bed.node("minowa"), patientId).equals(log(bed.node("ina"), patientId)));
    Path backup = dir.resolve("ina-backup.db");
    backUp(bed.node("ina"), backup);

    bed.stopNode("minowa");
    written(doctor.post(posts(patientId), note("箕輪が止まっている間の訪問診療。")));
    written(nurse.post(posts(patientId), note("箕輪が止まっている間の訪問看護。")));
    converged(patientId);
    Map<Long, String> logBeforeRestore = log(bed.node("ina"), patientId);

    restore("ina", backup);
    eventually("the restored home takes back what minamiminowa holds", () ->
        log(bed.node("ina"), patientId).equals(logBeforeRestore));
    bed.startNode("minowa");
    eventually("the events taken back reach minowa", () ->
        log(bed.node("minowa"), patientId).equals(logBeforeRestore));
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    written(doctorAgain.post(posts(patientId), note("復元後の投稿。")));
    converged(patientId);
    eventually("all three logs end the same", () ->
        log(bed.node("minowa"), patientId).equals(log(bed.node("ina"), patientId)));
    assertThat(log(bed.node("ina"), patientId)).hasSize(logBeforeRestore.size() + 1);
    CareClient caremaneAgain = bed.login("minowa", caremane.userId, "mw-caremane");
    assertThat(bodies(caremaneAgain, patientId)).doesNotHaveDuplicates().containsExactlyInAnyOrder("初回訪問。",
        "箕輪が止まっている間の訪問診療。", "箕輪が止まっている間の訪問看護。", "復元後の投稿。");
  }

  @Test
  void a_backup_from_before_the_board_was_shared_gets_the_whole_log_back_without_logging_a_post_twice()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = written(doctor.post("/api/v1/patients", CrossNodeTestbed.patient("竹松", "202096")))
        .getString("id");
    written(doctor.post(posts(patientId), note("共有前の訪問診療。")));
    written(doctor.post(posts(patientId), note("共有前の処方変更。")));
    Path backup = dir.resolve("ina-before-sharing.db");
    backUp(bed.node("ina"), backup);

    CrossNodeTestbed.join(doctor, nurse, "mm-nurse@minamiminowa", patientId);
    written(nurse.post(posts(patientId), note("共有後の訪問看護。")));
    converged(patientId);
    Map<Long, String> logBeforeRestore = log(bed.node("ina"), patientId);

    restore("ina", backup);
    eventually("the restored home takes back the whole log", () ->
        log(bed.node("ina"), patientId).equals(logBeforeRestore));
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("the board is released", () -> written(doctorAgain.post(posts(patientId), note("復元後の投稿。")))
        != null);
    converged(patientId);
    assertThat(log(bed.node("ina"), patientId)).hasSize(logBeforeRestore.size() + 1);
    for (CareClient reader : List.of(doctorAgain, nurse)) {
      assertThat(bodies(reader, patientId)).doesNotHaveDuplicates().containsExactlyInAnyOrder("共有前の訪問診療。",
          "共有前の処方変更。", "共有後の訪問看護。", "復元後の投稿。");
    }
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from board_members m where m.board_id = ?"
        + " and m.user_id = 'mm-nurse@minamiminowa' and m.status = 'active'", patientId))
        .as("the partner's professional is a member again").isEqualTo(1);
  }

  @Test
  void a_board_stays_held_while_its_partner_holds_a_seq_it_cannot_give_back() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    written(doctor.post(posts(patientId), note("初回訪問。")));
    converged(patientId);
    long head = head(bed.node("ina"), patientId);
    // the replica passed seq head+1 as skipped (it keeps no content of such an event): nobody can give it back
    execute(bed.node("minamiminowa"), "insert into replica_skipped_events (board_id, seq, event_id, code, message,"
        + " sha256, size, skipped_at) values ('" + patientId + "', " + (head + 1) + ", 'lost', 'sync.event_malformed',"
        + " '', '', 0, '2026-01-01T00:00:00Z')");

    bed.stopNode("ina");
    bed.startNode("ina");
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("the operator sees the partner ahead and the seq missing", () -> {
      JsonObject recovery = readiness(bed.node("ina")).getJsonObject("homeRecovery");
      return recovery != null && recovery.getJsonArray("gaps").size() == 1
          && recovery.getJsonArray("partnersAhead").size() == 1;
    });
    JsonObject recovery = readiness(bed.node("ina")).getJsonObject("homeRecovery");
    assertThat(recovery.getJsonArray("gaps").getJsonObject(0).getLong("missingSeq")).isEqualTo(head + 1);
    assertThat(recovery.getJsonArray("partnersAhead").getJsonObject(0).getLong("partnerCursor")).isEqualTo(head + 1);

    CareClient.Reply refused = doctorAgain.post(posts(patientId), note("保留中の投稿。"));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(new JsonObject(refused.body()).getString("code")).isEqualTo("sync.home_recovering");
    assertThat(head(bed.node("ina"), patientId)).as("no seq given out").isEqualTo(head);
    assertThat(bodies(doctorAgain, patientId)).doesNotContain("保留中の投稿。");
  }

  @Test
  void a_partner_down_at_the_restart_that_holds_another_event_at_a_reused_seq_says_so_and_the_operator_sees_it()
      throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    converged(patientId);
    Path backup = dir.resolve("ina-backup.db");
    backUp(bed.node("ina"), backup);
    written(doctor.post(posts(patientId), note("バックアップ後の訪問診療。")));
    converged(patientId);
    long partnersHead = head(bed.node("minamiminowa"), patientId);
    String partnersLog = types(bed.node("minamiminowa"), patientId);

    bed.stopNode("minamiminowa");
    restore("ina", backup);
    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    eventually("with the partner unreachable, the board is not held for it", () ->
        doctorAgain.post(posts(patientId), note("復元後の投稿。")).status() == 201);
    assertThat(head(bed.node("ina"), patientId)).as("the seq the partner holds is given out again: "
        + types(bed.node("ina"), patientId) + " partner: " + partnersLog)
        .isEqualTo(partnersHead);

    bed.startNode("minamiminowa");
    eventually("the partner refuses the other event at its seq and the operator sees it", () -> {
      JsonObject recovery = readiness(bed.node("ina")).getJsonObject("homeRecovery");
      return recovery != null && recovery.getJsonArray("seqConflicts").size() == 1;
    });
    JsonObject conflict = readiness(bed.node("ina")).getJsonObject("homeRecovery").getJsonArray("seqConflicts")
        .getJsonObject(0);
    assertThat(conflict.getLong("seq")).isEqualTo(partnersHead);
    assertThat(conflict.getString("partner")).isEqualTo("minamiminowa");
    // The fork is noted in memory as the partner's answer is read; its row is written just after.
    eventually("the partner's refusal is kept", () -> CrossNodeTestbed.count(bed.node("ina"),
        "select count(*) from sync_push_rejections where board_id = ? and code = 'sync.seq_conflict'", patientId) >= 1);
    assertThat(CrossNodeTestbed.count(bed.node("ina"), "select count(*) from sync_push_rejections where board_id = ?"
        + " and code = 'sync.seq_conflict'", patientId)).isEqualTo(1);
    assertThat(CrossNodeTestbed.peer(bed.node("ina"), "minamiminowa").getLong("rejected")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_partner_giving_back_forged_altered_or_another_boards_events_changes_nothing_at_the_home() {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String altered = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "改竄");
    String forged = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "偽造");
    String elsewhere = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "別盤");
    for (String patientId : List.of(altered, forged, elsewhere)) {
      written(doctor.post(posts(patientId), note("訪問診療。")));
      converged(patientId);
    }
    TsunaguNode ina = bed.node("ina");
    TsunaguNode hostile = bed.node("minamiminowa");
    Map<String, Map<Long, String>> logs = new LinkedHashMap<>();
    List.of(altered, forged, elsewhere).forEach(b -> logs.put(b, log(ina, b)));
    long postsBefore = CrossNodeTestbed.count(ina, "select count(*) from posts where board_id <> ?", "");

    // one of ina's own events with its seq raised past ina's head, the signature left as it was
    String genuine = envelopeAt(hostile, altered, 1);
    insertReplicaEvent(hostile, altered, head(ina, altered) + 1, withSequence(genuine, head(ina, altered) + 1));
    // an event "countersigned" by the partner itself, as if it were the home node
    var identity = hostile.services().keys().identity();
    var event = new HostileEvents("minamiminowa", "minamiminowa", "mm-nurse@minamiminowa")
        .valid(jp.tsunagu.node.care.replication.TeamEvents.POST, forged, jp.tsunagu.node.care.CareIds.next(),
            "mm-nurse@minamiminowa");
    String signed = jp.tsunagu.federation.envelope.EventEnvelope.sign(event, identity);
    String countersigned = jp.tsunagu.federation.envelope.EventEnvelope.countersign(
        new jp.tsunagu.federation.envelope.VerifiedEvent(event, identity.signingKeyId(), signed),
        head(ina, forged) + 1, java.time.Instant.now(), identity);
    insertReplicaEvent(hostile, forged, head(ina, forged) + 1, countersigned);
    // a genuine event of ina's, but of another board
    insertReplicaEvent(hostile, elsewhere, head(ina, elsewhere) + 1, envelopeAt(hostile, altered, 2));

    bed.stopNode("ina");
    TsunaguNode inaAgain = bed.startNode("ina");
    eventually("the three partner claims are refused", () -> {
      JsonObject recovery = readiness(inaAgain).getJsonObject("homeRecovery");
      return recovery != null && recovery.getJsonArray("refused").size() == 3
          && recovery.getJsonArray("partnersAhead").isEmpty();
    });
    Map<String, String> reasons = new LinkedHashMap<>();
    readiness(inaAgain).getJsonObject("homeRecovery").getJsonArray("refused").stream().map(JsonObject.class::cast)
        .forEach(r -> {
          assertThat(r.getString("code")).isEqualTo("sync.recovery_refused");
          assertThat(r.getString("partner")).isEqualTo("minamiminowa");
          reasons.put(r.getString("board"), r.getString("reason"));
        });
    assertThat(reasons).containsEntry(altered, "envelope.signature_invalid")
        .containsEntry(forged, "sync.recovery_not_own").containsEntry(elsewhere, "envelope.id_mismatch");
    assertThat(audited(inaAgain, "sync.recovery_refused")).isEqualTo(3);
    logs.forEach((board, before) -> assertThat(log(inaAgain, board)).as("nothing taken from the partner")
        .isEqualTo(before));
    assertThat(CrossNodeTestbed.count(inaAgain, "select count(*) from posts where board_id <> ?", ""))
        .isEqualTo(postsBefore);

    CareClient doctorAgain = bed.login("ina", doctor.userId, "ina-doctor");
    written(doctorAgain.post(posts(forged), note("拒否の後の投稿。")));
    assertThat(head(inaAgain, forged)).as("the partner's claim is not believed: the board goes on")
        .isEqualTo(logs.get(forged).size() + 1);
  }

  @Test
  void a_replica_is_handed_back_to_the_boards_home_node_only() throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
    written(doctor.post(posts(patientId), note("訪問診療。")));
    converged(patientId);
    TsunaguNode replica = bed.node("minamiminowa");
    String events = String.format(FederationV1.REPLICA_EVENTS, patientId) + "?after=0";

    FederationClient.Reply home = call(bed.node("ina"), replica, events);
    assertThat(home.status()).isEqualTo(200);
    assertThat(new JsonObject(home.body()).getJsonArray("events")).hasSize(log(replica, patientId).size());
    assertThat(new JsonObject(call(bed.node("ina"), replica, FederationV1.REPLICAS).body()).getJsonArray("replicas")
        .getJsonObject(0).getLong("cursor")).isEqualTo(head(replica, patientId));

    FederationClient.Reply stranger = call(bed.node("minowa"), replica, events);
    assertThat(stranger.status()).isEqualTo(404);
    assertThat(ErrorResponse.parse(stranger.body().toString()).code()).isEqualTo("sync.board_unknown");
    assertThat(new JsonObject(call(bed.node("minowa"), replica, FederationV1.REPLICAS).body())
        .getJsonArray("replicas")).isEmpty();
    assertThat(call(replica, bed.node("ina"), events).status()).as("the home's own board is no replica there")
        .isEqualTo(404);
  }

  // ----- helpers ---------------------------------------------------------------------------------------

  static String posts(String patientId) {
    return "/api/v1/patients/" + patientId + "/posts";
  }

  static JsonObject written(CareClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return new JsonObject(reply.body());
  }

  /**
   * Waits until the board's history is logged whole, the partner's writes are sequenced and its replica
   * holds exactly the home node's log.
   */
  void converged(String patientId) {
    eventually("the partner's replica holds the home node's log", () -> {
      Map<Long, String> home = log(bed.node("ina"), patientId);
      return CrossNodeTestbed.count(bed.node("ina"), "select count(*) from board_sharing where board_id = ?",
          patientId) == 0
          && CrossNodeTestbed.count(bed.node("minamiminowa"), "select count(*) from sync_outbox where board_id = ?"
          + " and state = 'pending'", patientId) == 0
          && !home.isEmpty() && home.equals(log(bed.node("minamiminowa"), patientId));
    });
  }

  /** A consistent copy of a running node's database (SQLite's online backup, as operators take one). */
  static void backUp(TsunaguNode node, Path copy) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + node.services().config().databaseFile());
        var s = c.createStatement()) {
      s.executeUpdate("backup to '" + copy + "'");
    }
  }

  /** Stops a node, puts the copy in place of its database (no WAL or shared memory left over) and starts it. */
  void restore(String name, Path backup) throws IOException {
    Path db = bed.node(name).services().config().databaseFile();
    bed.stopNode(name);
    Files.deleteIfExists(Path.of(db + "-wal"));
    Files.deleteIfExists(Path.of(db + "-shm"));
    Files.copy(backup, db, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    bed.startNode(name);
  }

  /** A board's log on a node: seq to event id. */
  static Map<Long, String> log(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> {
      Map<Long, String> log = new LinkedHashMap<>();
      try (var s = c.prepareStatement("select seq, event_id from team_events where board_id = ? order by seq")) {
        s.setString(1, boardId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            log.put(rs.getLong(1), rs.getString(2));
          }
        }
      }
      return log;
    }).join();
  }

  static String types(TsunaguNode node, String boardId) {
    return node.services().database().submitRead(c -> {
      StringBuilder types = new StringBuilder();
      try (var s = c.prepareStatement("select seq, type, origin from team_events where board_id = ? order by seq")) {
        s.setString(1, boardId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            types.append(rs.getLong(1)).append(':').append(rs.getString(2)).append('/').append(rs.getString(3))
                .append(' ');
          }
        }
      }
      return types.toString();
    }).join();
  }

  static long head(TsunaguNode node, String boardId) {
    return CrossNodeTestbed.count(node, "select coalesce(max(seq), 0) from team_events where board_id = ?", boardId);
  }

  static long audited(TsunaguNode node, String action) {
    return CrossNodeTestbed.count(node, "select count(*) from audit_log where action = ?", action);
  }

  /** A federation call from one node to another, over their real mutual TLS. */
  static FederationClient.Reply call(TsunaguNode from, TsunaguNode to, String path) throws Exception {
    FederationClient client = FederationClient.of(from.vertx(), TestNodes.federation(from));
    try {
      return client.call(to.services().keys().identity().card(), HttpMethod.GET, path, null, null)
          .await(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /** The envelope a node's log holds at a seq of a board. */
  static String envelopeAt(TsunaguNode node, String boardId, long seq) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select envelope from team_events where board_id = ? and seq = ?")) {
        s.setString(1, boardId);
        s.setLong(2, seq);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  /** Puts an envelope into a node's replica log of a board at a seq (as a hostile partner's own database). */
  static void insertReplicaEvent(TsunaguNode node, String boardId, long seq, String envelope) {
    node.services().database().submitWrite(c -> {
      try (var s = c.prepareStatement("insert into team_events (board_id, seq, event_id, type, origin, envelope,"
          + " accepted_at) values (?, ?, ?, 'care.post.created', 'ina', ?, '2026-01-01T00:00:00Z')")) {
        s.setString(1, boardId);
        s.setLong(2, seq);
        s.setString(3, java.util.UUID.randomUUID().toString());
        s.setString(4, envelope);
        return s.executeUpdate();
      }
    }).join();
  }

  /** The same compact JWS with the sequence in its payload changed and the signature kept. */
  static String withSequence(String compact, long sequence) {
    String[] parts = compact.split("\\.");
    JsonObject payload = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
        java.nio.charset.StandardCharsets.UTF_8)).put("sequence", sequence);
    return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
  }

  static void execute(TsunaguNode node, String sql) {
    node.services().database().submitWrite(c -> {
      try (var s = c.createStatement()) {
        return s.executeUpdate(sql);
      }
    }).join();
  }

  /** The team sync check of {@code /health/ready} as the operator's monitoring reads it. */
  static JsonObject readiness(TsunaguNode node) {
    try {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.adminUrl().resolve("/health/ready"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      JsonArray checks = new JsonObject(body).getJsonArray("checks");
      return checks.stream().map(JsonObject.class::cast).filter(c -> "team-sync".equals(c.getString("id")))
          .findFirst().orElseThrow().getJsonObject("data");
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
