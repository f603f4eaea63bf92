package jp.tsunagu.node.cluster;

import static jp.tsunagu.node.cluster.ClusterTestSupport.shareIdentity;
import static jp.tsunagu.node.cluster.ClusterTestSupport.startAll;
import static jp.tsunagu.node.cluster.ClusterTestSupport.stopAll;
import static jp.tsunagu.node.testing.TestPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real HAProxy (TCP mode, checks on {@code /health/ready} as in the three-instance example) in
 * front of three clustered instances: requests through it reach every ready instance, the leader
 * among them, and an instance that reports not ready is taken out.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class HaproxyInFrontTest {

  @TempDir
  Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();
  private Process haproxy;

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.destroyForcibly();
    }
    stopAll(nodes);
  }

  @Test
  void haproxy_sends_requests_to_ready_instances_and_takes_a_not_ready_one_out() throws Exception {
    Path binary = haproxyBinary();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ports.add(freePort());
    }
    int proxyWeb = ports.get(9);
    int proxyFederation = ports.get(10);
    int proxyAdmin = ports.get(11);
    List<NodeConfig> configs = configs(ports, proxyWeb, proxyFederation);
    shareIdentity(configs);
    startAll(configs, nodes);
    waitFor(() -> nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).count() == 1);
    TsunaguNode leader = nodes.stream().filter(n -> n.cluster().orElseThrow().isLeader()).findFirst().orElseThrow();
    TsunaguNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();

    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, haproxyConfig(proxyWeb, proxyFederation, proxyAdmin));
    haproxy = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();

    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    URI throughProxy = URI.create("http://127.0.0.1:" + proxyAdmin + "/health/ready");
    // Every instance is ready once the followers have caught up: round robin reaches all three.
    waitFor(() -> selvesSeen(throughProxy, 12).size() == 3);
    Set<String> seen = selvesSeen(throughProxy, 12);
    assertThat(seen).contains(leader.cluster().orElseThrow().nodeId());

    // The web listener through the proxy (TLS passed through: the node's own certificate answers).
    HttpClient tls = HttpClient.newBuilder().sslContext(TestHttp.trusting(
        leader.services().keys().identity().tlsCertificate())).connectTimeout(Duration.ofSeconds(3)).build();
    HttpResponse<String> ready = tls.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + proxyWeb + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    // Public: the status alone; the cluster's details (role, leader, batches) only on the admin listener.
    assertThat(new JsonObject(ready.body())).isEqualTo(new JsonObject().put("status", "UP"));

    // A follower cut off from the others sees no leader: it answers not ready, with the reason,
    // and the proxy stops sending it anything.
    follower.cluster().orElseThrow().members().getHazelcastInstance().getLifecycleService().terminate();
    waitFor(() -> status(plain, follower.adminUrl().resolve("/health/ready")) == 503);
    HttpResponse<String> notReady = plain.send(HttpRequest.newBuilder(follower.adminUrl().resolve("/health/ready"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(clusterCheck(new JsonObject(notReady.body())).getString("error")).startsWith("cluster.");
    // Its public listener says the same, and nothing else.
    HttpResponse<String> openNotReady = HttpClient.newBuilder().sslContext(TestHttp.trusting(
        leader.services().keys().identity().tlsCertificate())).build().send(HttpRequest.newBuilder(
        follower.webUrl().resolve("/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(openNotReady.statusCode()).isEqualTo(503);
    JsonObject open = new JsonObject(openNotReady.body());
    assertThat(open.fieldNames()).containsExactlyInAnyOrder("status", "checks");
    assertThat(open.getString("status")).isEqualTo("DOWN");
    assertThat(open.getJsonArray("checks")).hasSize(1);
    JsonObject failing = open.getJsonArray("checks").getJsonObject(0);
    assertThat(failing.fieldNames()).containsExactlyInAnyOrder("id", "error");
    assertThat(failing.getString("id")).isEqualTo("cluster");
    assertThat(failing.getString("error")).startsWith("cluster.");
    String followerId = follower.cluster().orElseThrow().nodeId();
    waitFor(() -> {
      Set<String> now = selvesSeen(throughProxy, 12);
      return !now.contains(followerId) && now.contains(leader.cluster().orElseThrow().nodeId());
    });
  }

  /**
   * The instances that answered {@code count} requests through the proxy (only those answered 200).
   * The proxy balances connections, not requests, so each request opens a connection of its own.
   */
  private static Set<String> selvesSeen(URI uri, int count) {
    Set<String> selves = new HashSet<>();
    for (int i = 0; i < count; i++) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          selves.add(clusterCheck(new JsonObject(response.body())).getString("self"));
        }
      } catch (IOException e) {
        // no instance ready yet: the proxy closes the connection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return selves;
  }

  /** The {@code cluster} check's data in a health body. */
  private static JsonObject clusterCheck(JsonObject health) {
    for (Object check : health.getJsonArray("checks")) {
      JsonObject c = (JsonObject) check;
      if ("cluster".equals(c.getString("id"))) {
        return c.getJsonObject("data");
      }
    }
    throw new AssertionError("no cluster check in " + health.encode());
  }

  private static int status(HttpClient client, URI uri) {
    try {
      return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The example's structure, with the ports of this test's instances. */
  private String haproxyConfig(int web, int federation, int admin) {
    String check = """
            option httpchk
            http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host %s
            http-check expect status 200
        """;
    StringBuilder cfg = new StringBuilder("""
        global
            maxconn 256
        defaults
            mode tcp
            timeout connect 3s
            timeout client 60s
            timeout server 60s
            timeout check 2s
            retries 2
            option redispatch
            default-server inter 500ms fastinter 250ms downinter 250ms fall 2 rise 2 on-marked-down shutdown-sessions check-ssl verify none
        """);
    cfg.append("frontend web\n    bind 127.0.0.1:").append(web).append("\n    default_backend web\n");
    cfg.append("backend web\n    balance roundrobin\n").append(check.formatted("127.0.0.1:" + web));
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:").append(nodes.get(i).webUrl().getPort())
          .append(" check\n");
    }
    cfg.append("frontend federation\n    bind 127.0.0.1:").append(federation)
        .append("\n    default_backend federation\n");
    cfg.append("backend federation\n    balance roundrobin\n").append(check.formatted("127.0.0.1:" + web));
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:")
          .append(nodes.get(i).services().config().federation().port()).append(" check port ")
          .append(nodes.get(i).webUrl().getPort()).append('\n');
    }
    cfg.append("frontend admin\n    bind 127.0.0.1:").append(admin).append("\n    default_backend admin\n");
    cfg.append("backend admin\n    balance roundrobin\n").append(check.formatted("localhost"));
    for (int i = 0; i < nodes.size(); i++) {
      cfg.append("    server i").append(i).append(" 127.0.0.1:").append(nodes.get(i).adminUrl().getPort())
          .append(" check no-check-ssl\n");
    }
    return cfg.toString();
  }

  /** Fails, never skips, when the proxy is not installed: the HAProxy checks would silently go untested. */
  private static Path haproxyBinary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("haproxy is not installed: install the Debian package haproxy"
        + " (apt-get install haproxy; the CI entry point .ci/run installs it)");
  }

  private List<NodeConfig> configs(List<Integer> ports, int proxyWeb, int proxyFederation) throws IOException {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add("127.0.0.1:" + ports.get(i));
    }
    List<NodeConfig> configs = new ArrayList<>();
    String cluster = ClusterTestSupport.clusterName("ina-ha");
    for (int i = 0; i < 3; i++) {
      // Partners and browsers know the node by the proxy's addresses; each instance listens on its own port.
      JsonObject json = TestNodes.json("ina").put("dataDir", "instance-" + i);
      json.getJsonObject("web").put("publicUrl", "https://127.0.0.1:" + proxyWeb);
      json.getJsonObject("federation").put("port", ports.get(6 + i))
          .put("endpoint", "https://127.0.0.1:" + proxyFederation);
      json.put("cluster", new JsonObject().put("name", cluster).put("members", String.join(",", members))
          .put("host", "127.0.0.1").put("port", ports.get(i)).put("eventBusPort", ports.get(3 + i)));
      NodeConfig config = new ConfigLoader(name -> null).fromJson(json, dir);
      Files.createDirectories(config.dataDir());
      configs.add(config);
    }
    return configs;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 90 s");
      }
      Thread.sleep(300);
    }
  }
}
