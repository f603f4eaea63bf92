package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.bodies;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jp.tsunagu.node.testing.TestPorts;
import jp.tsunagu.node.care.CareClient;

/**
 * {@code kill -9} of either node while both sides write and sync is under way: after a restart on
 * the same data directory every acknowledged write is on both nodes exactly once, in the home
 * node's order. The killed node runs in a JVM of its own ({@link SyncNodeProcess}).
 */
class KillNineSyncTest {

  private static final int WRITES = 15;

  @TempDir
  Path dir;
  CrossNodeTestbed bed;
  Process child;

  @AfterEach
  void stop() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    bed.close();
  }

  @Test
  void kill_9_of_the_member_node_mid_sync_converges_after_restart() throws Exception {
    killMidSync("minamiminowa");
  }

  @Test
  void kill_9_of_the_home_node_mid_sync_converges_after_restart() throws Exception {
    killMidSync("ina");
  }

  private void killMidSync(String victim) throws Exception {
    bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa");
    CareClient doctor = bed.inaDoctor();
    CareClient nurse = bed.mmNurse();
    String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "春日");
    String victimLogin = victim.equals("ina") ? "ina-doctor" : "mm-nurse";
    String victimUser = victim.equals("ina") ? doctor.userId : nurse.userId;
    CareClient survivor = victim.equals("ina") ? nurse : doctor;
    X509Certificate certificate = bed.node(victim).services().keys().identity().tlsCertificate();
    int webPort = TestPorts.freePort();
    bed.stopNode(victim);

    child = launch(victim, webPort);
    CareClient inChild = new CareClient(URI.create("https://127.0.0.1:" + webPort), certificate, victimUser);
    inChild.login(victimLogin, CrossNodeTestbed.PASSWORD);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < WRITES; i++) {
      String mine = victim + " の記録 " + i;
      String theirs = "相手側の記録 " + i;
      assertThat(inChild.post("/api/v1/patients/" + patientId + "/posts", note(mine)).status()).isEqualTo(201);
      assertThat(survivor.post("/api/v1/patients/" + patientId + "/posts", note(theirs)).status()).isEqualTo(201);
      written.add(mine);
      written.add(theirs);
    }
    child.destroyForcibly(); // SIGKILL in the middle of delivering and receiving
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    child = launch(victim, webPort);
    CareClient again = new CareClient(URI.create("https://127.0.0.1:" + webPort), certificate, victimUser);
    again.login(victimLogin, CrossNodeTestbed.PASSWORD);
    for (CareClient side : List.of(again, survivor)) {
      eventually("every acknowledged write on both nodes", () -> bodies(side, patientId).containsAll(written)
          && posts(side, patientId).stream().noneMatch(p -> p.getString("syncState") != null));
      assertThat(bodies(side, patientId)).doesNotHaveDuplicates();
    }
    assertThat(order(again, patientId)).isEqualTo(order(survivor, patientId));
  }

  private Process launch(String network, int webPort) throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SyncNodeProcess.class.getName(), network,
        dir.resolve(network).toString(), String.valueOf(bed.federationPort(network)), String.valueOf(webPort))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // the node's log lines before it serves
    }
    if (line == null) {
      throw new AssertionError(network + " did not start in its own JVM");
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe flowing so the node never blocks on its log
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    });
    drain.setDaemon(true);
    drain.start();
    return process;
  }

  private static List<JsonObject> posts(CareClient client, String patientId) {
    return client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static String order(CareClient client, String patientId) {
    StringBuilder order = new StringBuilder();
    posts(client, patientId).forEach(p -> order.append(p.getLong("seq")).append(' ').append(p.getString("body"))
        .append('\n'));
    return order.toString();
  }
}
