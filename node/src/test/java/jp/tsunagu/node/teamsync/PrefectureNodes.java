package jp.tsunagu.node.teamsync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.admin.AdminMain;
import jp.tsunagu.node.testing.TestPorts;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.keys.AdminToken;

/**
 * The nodes of a simulated prefecture, all in this one JVM: one node per real Nagano municipality
 * ({@code bench/nagano-municipalities.csv}: code with its check digit, name, node name), each with its own
 * data directory, keys, web, admin and federation listeners on loopback (the federation port fixed, so the
 * endpoint in its identity is where it listens). Agreements are made the way operators make them: the
 * admin CLI's own commands run in process ({@code node export-card}, {@code agreement draft|sign|merge|submit|
 * withdraw}), submitted to each node's admin API with that node's operator token; nothing is written by SQL.
 */
final class PrefectureNodes implements AutoCloseable {

  /** A municipality of the prefecture and the name of its node. */
  record Municipality(String code, String nameJa, String node) {}

  static final String AGREEMENT_ID = "nagano-zaitaku";
  static final String TITLE = "長野県在宅医療・介護連携に関する広域連携協定";
  private static final String SCOPES = "care-team,resources-directory";

  private final Path dir;
  private final Path files;
  final Map<String, TsunaguNode> nodes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Municipality> municipalities = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Integer> federationPorts = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, CareClient> professionals = new LinkedHashMap<>();
  private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  PrefectureNodes(Path dir) throws IOException {
    this.dir = dir;
    this.files = Files.createDirectories(dir.resolve("operator-files"));
  }

  /** The real municipalities the benchmark names its nodes after, in file order. */
  static List<Municipality> nagano() throws IOException {
    List<Municipality> all = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        PrefectureNodes.class.getResourceAsStream("/bench/nagano-municipalities.csv"), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",");
        all.add(new Municipality(f[0], f[1], f[2]));
      }
    }
    return all;
  }

  /**
   * Starts a node on a fresh data directory; a federation port taken between its choice and the bind (other
   * programs on this machine bind too) is chosen again, on a new directory (the identity names its port).
   */
  TsunaguNode start(Municipality m) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(m);
      } catch (RuntimeException e) {
        if (attempt == 3 || !bindFailure(e)) {
          throw e;
        }
        federationPorts.remove(m.node());
        deleteTree(dir.resolve(m.node()));
      }
    }
  }

  private static boolean bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private TsunaguNode startOnce(Municipality m) {
    int port = federationPorts.computeIfAbsent(m.node(), n -> TestPorts.freePort());
    JsonObject json = new JsonObject()
        .put("node", new JsonObject().put("name", m.node()).put("displayName", m.nameJa() + "在宅医療・介護連携")
            .put("municipalities", new JsonArray().add(m.code())))
        .put("dataDir", m.node() + "-data")
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("federation", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(n -> null).fromJson(json, dir.resolve(m.node())).asDemo());
    nodes.put(m.node(), node);
    municipalities.put(m.node(), m);
    return node;
  }

  void stop(String name) {
    TsunaguNode node = nodes.remove(name);
    if (node != null) {
      node.close();
    }
  }

  int federationPort(String name) {
    return federationPorts.get(name);
  }

  Municipality municipality(String name) {
    return municipalities.get(name);
  }

  // ----- the operators' commands --------------------------------------------------------------------

  /**
   * A signed agreement of {@code parties}: every node's card exported, one draft (an amendment of
   * {@code replaces} when given), each party signing its own copy, the copies merged. Returns the file.
   */
  Path agreement(List<String> parties, Optional<Path> replaces, String version) {
    List<String> draft = new ArrayList<>(List.of("agreement", "draft", "--title", TITLE, "--scope", SCOPES,
        "--valid-days", "365", "--out", files.resolve(version + ".draft.json").toString()));
    replaces.ifPresentOrElse(r -> draft.addAll(List.of("--replaces", r.toString())),
        () -> draft.addAll(List.of("--id", AGREEMENT_ID)));
    draft.add("--card");
    for (String party : parties) {
      Path card = files.resolve(party + ".card.json");
      if (!Files.exists(card)) {
        cli("node", "export-card", "--dir", identityDir(party).toString(), "--out", card.toString());
      }
      draft.add(card.toString());
    }
    cli(draft.toArray(String[]::new));
    List<String> merge = new ArrayList<>(List.of("agreement", "merge", "--out",
        files.resolve(version + ".json").toString()));
    for (String party : parties) {
      Path signed = files.resolve(version + "." + party + ".json");
      cli("agreement", "sign", "--identity", identityDir(party).toString(), "--out", signed.toString(),
          files.resolve(version + ".draft.json").toString());
      merge.add(signed.toString());
    }
    cli(merge.toArray(String[]::new));
    return files.resolve(version + ".json");
  }

  /** The withdrawal statement of {@code party}, signed with its own key, as its operator would write it. */
  Path withdrawal(String party, Path agreement) {
    Path out = files.resolve(party + ".withdrawal.json");
    cli("agreement", "withdraw", "--identity", identityDir(party).toString(), "--agreement", agreement.toString(),
        "--out", out.toString());
    return out;
  }

  /** {@code agreement submit} to one node's admin API with that node's operator token. */
  void submit(String node, Path file) {
    cli("agreement", "submit", "--node", nodes.get(node).adminUrl().toString(), "--token-file",
        nodes.get(node).services().config().dataDir().resolve(AdminToken.FILE).toString(), file.toString());
  }

  private Path identityDir(String node) {
    return nodes.get(node).services().config().identityDir();
  }

  private static void cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AdminMain.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    if (code != 0) {
      throw new IllegalStateException("tsunagu-admin " + String.join(" ", args) + " exited " + code + ": " + err);
    }
  }

  // ----- what the nodes say -------------------------------------------------------------------------

  /** The partners a node's {@code GET /admin/v1/peers} (a probe of each) finds reachable. */
  List<String> reachablePeers(String node) {
    try {
      HttpResponse<String> reply = admin.send(HttpRequest.newBuilder(nodes.get(node).adminUrl()
          .resolve("/admin/v1/peers")).timeout(Duration.ofSeconds(60))
          .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(nodes.get(node))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        return List.of();
      }
      return new JsonObject(reply.body()).getJsonArray("peers").stream().map(JsonObject.class::cast)
          .filter(p -> p.getBoolean("reachable")).map(p -> p.getString("node")).toList();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A professional of a home-care facility of that node, logged in (one per node, made on first use). */
  CareClient professional(String node) {
    return professionals.computeIfAbsent(node, name -> {
      TsunaguNode n = nodes.get(name);
      Municipality m = municipalities.get(name);
      AccountSeeder seeder = new AccountSeeder(n.services());
      String facility = seeder.createFacility(m.nameJa() + "訪問看護ステーション", m.code(), "長野県", "home_nursing");
      String loginId = name + "-nurse";
      AccountSeeder.Created created = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp",
          m.nameJa().substring(0, 1) + "田", "花子", "テスト", "ハナコ", "nurse", Role.PROFESSIONAL,
          Optional.of(facility)), CrossNodeTestbed.PASSWORD, "windows");
      CareClient client = new CareClient(n, created.userId());
      client.login(loginId, CrossNodeTestbed.PASSWORD);
      return client;
    });
  }

  /** A patient of {@code home}'s municipality whose team takes in a professional of each of {@code others}. */
  String team(String home, List<String> others, String family) {
    CareClient doctor = professional(home);
    JsonObject patient = CrossNodeTestbed.patient(family, municipalities.get(home).code())
        .put("address", "長野県" + municipalities.get(home).nameJa() + "1-1");
    CareClient.Reply created = doctor.post("/api/v1/patients", patient);
    if (created.status() != 201) {
      throw new IllegalStateException("the patient was refused: " + created);
    }
    String patientId = created.json().getString("id");
    for (String other : others) {
      CrossNodeTestbed.join(doctor, professional(other), other + "-nurse@" + other, patientId);
    }
    return patientId;
  }

  URI web(String node) {
    return nodes.get(node).webUrl();
  }

  @Override
  public void close() {
    // stopped in parallel: 50 nodes one after another take minutes to close
    new ArrayList<>(nodes.keySet()).parallelStream().forEach(this::stop);
  }
}
