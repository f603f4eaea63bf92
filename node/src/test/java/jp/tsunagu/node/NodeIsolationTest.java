package jp.tsunagu.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.teamsync.TeamSyncFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes in one JVM share nothing: each node's features are built by its own composition root,
 * so one node's writes, cache, audit checkpoint, team sync and metrics are its own, and stopping and
 * starting the other changes none of them. Both nodes even carry the same name: nothing is keyed by
 * a name or found through a static registry.
 */
class NodeIsolationTest {

  @TempDir
  Path first;
  @TempDir
  Path second;

  @Test
  void two_nodes_in_one_jvm_keep_their_caches_sync_engines_audit_checkpoints_and_metrics_apart() throws Exception {
    CareTestbed a = CareTestbed.start(first);
    CareTestbed b = CareTestbed.start(second);
    try {
      assertThat(a.node.feature(TeamSyncFeature.class)).isNotSameAs(b.node.feature(TeamSyncFeature.class));
      assertThat(a.node.services().metrics()).isNotSameAs(b.node.services().metrics());
      String checkpointOfA = settled(a);
      String checkpointOfB = settled(b);

      CareClient doctor = a.professional("isolation-doctor", "春日", "一郎", "医師", a.clinic);
      CareClient.Reply created = doctor.post("/api/v1/patients", new JsonObject().put("familyName", "宮下")
          .put("givenName", "ハル").put("familyKana", "ミヤシタ").put("givenKana", "ハル")
          .put("birthDate", "1938-04-02").put("sex", "female").put("address", "長野県伊那市荒井1-1")
          .put("municipalityCode", "202096").put("phone", "").put("familyDoctor", "").put("careLevel", "")
          .put("emergencyContacts", "").put("acpNotes", "").put("remarks", "").put("teamRole", "主治医"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String patientId = created.json().getString("id");
      assertThat(doctor.post("/api/v1/patients/" + patientId + "/posts", new JsonObject().put("category", "連絡")
          .put("body", "訪問。血圧 132/80。")).status()).isEqualTo(201);
      firstPage(doctor, patientId);
      firstPage(doctor, patientId);

      // the first node's cache and meters moved; the second node's did not
      assertThat(fromCache(a)).isGreaterThanOrEqualTo(1);
      assertThat(cacheBytes(a)).isPositive();
      assertThat(fromCache(b)).isZero();
      assertThat(cacheBytes(b)).isZero();
      // the audit checkpoint of the node written to moves; the other's stays where it was
      eventually(() -> !checkpoint(a).equals(checkpointOfA));
      assertThat(checkpoint(b)).isEqualTo(checkpointOfB);

      // stop and start the second node: the first keeps its cache, its meters and its sync engine
      double cachedBefore = fromCache(a);
      b.close();
      b = CareTestbed.start(second);
      firstPage(doctor, patientId);
      assertThat(fromCache(a)).as("the first node's cache survives the other's restart").isGreaterThan(cachedBefore);
      assertThat(fromCache(b)).isZero();
      assertThat(ready(a)).contains("\"team-sync\"").contains("\"status\":\"UP\"");
      assertThat(ready(b)).contains("\"team-sync\"").contains("\"status\":\"UP\"");
      assertThat(a.node.feature(TeamSyncFeature.class).team().waiting().await()).isZero();
    } finally {
      a.close();
      b.close();
    }
  }

  private static void firstPage(CareClient client, String patientId) {
    assertThat(client.get("/api/v1/patients/" + patientId + "/posts").status()).isEqualTo(200);
  }

  private static double fromCache(CareTestbed bed) {
    Counter counter = bed.node.services().metrics().find("tsunagu.timeline.first_pages").tag("source", "cache")
        .counter();
    return counter == null ? 0 : counter.count();
  }

  private static double cacheBytes(CareTestbed bed) {
    Gauge gauge = bed.node.services().metrics().find("tsunagu.timeline.cache.bytes").gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private static String checkpoint(CareTestbed bed) throws Exception {
    Path file = bed.node.services().config().dataDir().resolve(AuditCheckpoint.FILE);
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** The checkpoint once the node's own writes so far are in it (it moves at most every 250 ms). */
  private static String settled(CareTestbed bed) throws Exception {
    String before = checkpoint(bed);
    for (int i = 0; i < 50; i++) {
      Thread.sleep(600);
      String now = checkpoint(bed);
      if (now.equals(before)) {
        return now;
      }
      before = now;
    }
    throw new AssertionError("the audit checkpoint kept moving");
  }

  private static String ready(CareTestbed bed) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(bed.node.adminUrl() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void eventually(Check check) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
