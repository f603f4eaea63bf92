package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.testing.TestPorts.freePort;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareActor;

/**
 * Real Kamiina nodes on loopback (demo mode, so clients log in with a password), each on a fixed
 * federation port so the endpoint in its identity is where it listens and a node restarted on the
 * same data directory is reachable again; an active Kamiina agreement among them.
 */
final class CrossNodeTestbed implements AutoCloseable {

  static final String PASSWORD = CareTestbed.PASSWORD;

  private final Path dir;
  /** Every node's clock, one time for all (a test moves it on to a meeting's start). */
  final jp.tsunagu.node.testing.MovableClock clock = new jp.tsunagu.node.testing.MovableClock();
  private final Map<String, Integer> federationPorts = new LinkedHashMap<>();
  final Map<String, TsunaguNode> nodes = new LinkedHashMap<>();

  private CrossNodeTestbed(Path dir) {
    this.dir = dir;
  }

  static CrossNodeTestbed start(Path dir, String... names) {
    return start(dir, json -> { }, names);
  }

  /** As {@link #start(Path, String...)}, every node's configuration changed first (e.g. a mail server of the test). */
  static CrossNodeTestbed start(Path dir, java.util.function.Consumer<JsonObject> configure, String... names) {
    CrossNodeTestbed bed = new CrossNodeTestbed(dir);
    bed.configure = configure;
    bed.startAll(names);
    DemoAgreement.establish(bed.nodes.values().stream()
        .map(node -> TestNodes.federation(node)).toList(), "kamiina",
        "上伊那地域在宅医療・介護連携に関する広域連携協定");
    return bed;
  }

  /** With a Kamiina agreement whose replicated data is kept {@code retentionDays} after it ends; returns it too. */
  static CrossNodeTestbed startWithRetention(Path dir, long retentionDays, String... names) {
    CrossNodeTestbed bed = started(dir, names);
    List<jp.tsunagu.federation.identity.NodeIdentity> parties = bed.nodes.values().stream()
        .map(n -> n.services().keys().identity()).toList();
    java.time.Instant now = java.time.Instant.now();
    bed.agreement = jp.tsunagu.node.federation.AgreementDrafts.signed("kamiina", "上伊那地域在宅医療・介護連携に関する広域連携協定",
        parties, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
        List.of(jp.tsunagu.federation.agreement.Scopes.CARE_TEAM, jp.tsunagu.federation.agreement.Scopes.RESOURCES_DIRECTORY),
        retentionDays);
    for (TsunaguNode node : bed.nodes.values()) {
      try {
        TestNodes.federation(node).agreements()
            .importDocument(bed.agreement.toCompactJson()).await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(e);
      }
    }
    return bed;
  }

  /** The agreement of {@link #startWithRetention}. */
  jp.tsunagu.federation.agreement.AgreementDocument agreement;

  private static CrossNodeTestbed started(Path dir, String... names) {
    CrossNodeTestbed bed = new CrossNodeTestbed(dir);
    bed.startAll(names);
    return bed;
  }

  private void startAll(String... names) {
    for (String name : names) {
      federationPorts.put(name, freePort());
      startNode(name);
    }
  }

  /** What every node's configuration gets before it starts (and restarts). */
  private java.util.function.Consumer<JsonObject> configure = json -> { };

  TsunaguNode node(String name) {
    return nodes.get(name);
  }

  /** Starts (or restarts, on its data directory) a node. */
  TsunaguNode startNode(String name) {
    return startNode(name, json -> { });
  }

  /** Starts (or restarts) a node with its configuration changed first (a setting its operator chose). */
  TsunaguNode startNode(String name, java.util.function.Consumer<JsonObject> configured) {
    JsonObject json = TestNodes.json(name);
    configure.accept(json);
    configured.accept(json);
    json.getJsonObject("federation").put("port", federationPorts.computeIfAbsent(name, n -> freePort()));
    TsunaguNode node = TsunaguNode.start(new ConfigLoader(n -> null).fromJson(json, dir.resolve(name)).asDemo(),
        clock);
    nodes.put(name, node);
    return node;
  }

  /** The fixed federation port of a node (kept across restarts, and for a node run in another process). */
  int federationPort(String name) {
    return federationPorts.get(name);
  }

  void stopNode(String name) {
    TsunaguNode node = nodes.remove(name);
    if (node != null) {
      node.close();
    }
  }

  /** A professional of a facility of that node, logged in. */
  CareClient professional(String node, String loginId, String family, String profession, String facilityName,
      String category) {
    TsunaguNode n = nodes.get(node);
    AccountSeeder seeder = new AccountSeeder(n.services());
    String municipality = n.services().config().node().municipalities().get(0);
    String facility = seeder.createFacility(facilityName, municipality, "長野県", category);
    AccountSeeder.Created created = seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp",
        family, "花子", "テスト", "ハナコ", profession, Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows");
    CareClient client = new CareClient(n, created.userId());
    client.login(loginId, PASSWORD);
    return client;
  }

  /** ina's doctor of 伊那中央クリニック, created and logged in at ina (once a bed: the login id is taken after). */
  CareClient inaDoctor() {
    return professional("ina", "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
  }

  /**
   * minamiminowa's visiting nurse, created and logged in at minamiminowa (once a bed); other nodes name her
   * mm-nurse@minamiminowa.
   */
  CareClient mmNurse() {
    return professional("minamiminowa", "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション", "home_nursing");
  }

  /** A client for someone who already exists, logging in again (after a restart). */
  CareClient login(String node, String userId, String loginId) {
    CareClient client = new CareClient(nodes.get(node), userId);
    client.login(loginId, PASSWORD);
    return client;
  }

  /**
   * A patient of {@code home} whose team takes in a professional of another node: invited by
   * federated id, the invitation accepted on their own node, active at the home node.
   */
  static String sharedPatient(CareClient doctor, CareClient remote, String remoteFederatedId, String family) {
    String patientId = doctor.post("/api/v1/patients", patient(family, "202096")).json().getString("id");
    join(doctor, remote, remoteFederatedId, patientId);
    return patientId;
  }

  /** Invites a partner's professional to the patient's team and waits until she has accepted on her node. */
  static void join(CareClient doctor, CareClient remote, String remoteFederatedId, String patientId) {
    CareClient.Reply invited = doctor.post("/api/v1/patients/" + patientId + "/team/invitations",
        new JsonObject().put("userId", remoteFederatedId).put("teamRole", "訪問看護"));
    if (invited.status() != 201) {
      throw new AssertionError("invitation refused: " + invited);
    }
    eventually("the invitation reaches the invitee's own node", () -> remote.get("/api/v1/invitations").json()
        .getJsonArray("invitations").stream().map(JsonObject.class::cast)
        .anyMatch(i -> i.getString("boardId").equals(patientId)));
    remote.post("/api/v1/invitations/" + patientId + "/accept", new JsonObject());
    eventually("the home node sees the invitee as an active member", () -> doctor.get("/api/v1/patients/" + patientId
        + "/team").json().getJsonArray("members").stream().map(JsonObject.class::cast)
        .anyMatch(m -> m.getString("userId").equals(remoteFederatedId) && m.getString("status").equals("active")));
  }

  static JsonObject note(String body) {
    return new JsonObject().put("category", "申し送り").put("body", body)
        .put("recipients", new io.vertx.core.json.JsonArray()).put("attachments", new io.vertx.core.json.JsonArray());
  }

  static JsonObject patient(String family, String municipalityCode) {
    return new JsonObject().put("familyName", family).put("givenName", "トメ").put("familyKana", "テスト")
        .put("givenKana", "トメ").put("birthDate", "1931-05-12").put("sex", "female")
        .put("address", "長野県伊那市荒井1-1").put("municipalityCode", municipalityCode).put("phone", "0265-00-0000")
        .put("familyDoctor", "伊那中央クリニック").put("careLevel", "要介護3").put("emergencyContacts", "長女")
        .put("acpNotes", "").put("remarks", "").put("teamRole", "主治医");
  }

  /** Waits (up to 30 s) until the condition holds; tests never assert on how long it took. */
  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after 30 s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static List<String> bodies(CareClient client, String patientId) {
    List<String> bodies = new ArrayList<>();
    client.get("/api/v1/patients/" + patientId + "/posts").json().getJsonArray("posts")
        .forEach(p -> bodies.add(((JsonObject) p).getString("body")));
    return bodies;
  }

  /** A user of a node as the care code sees an author (for writing history straight into its database). */
  static CareActor actor(TsunaguNode node, String userId) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select family_name || ' ' || given_name, facility_id, profession from users"
          + " where id = ?")) {
        s.setString(1, userId);
        try (var rs = s.executeQuery()) {
          rs.next();
          return new CareActor(userId, rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3));
        }
      }
    }).join();
  }

  /** A count from a node's database (one text parameter). */
  static long count(TsunaguNode node, String sql, String param) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql)) {
        s.setString(1, param);
        try (var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  /** A partner as the operator's {@code tsunagu-admin peers status} sees it (the admin API behind it). */
  static JsonObject peer(TsunaguNode node, String name) {
    try {
      String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          node.adminUrl().resolve("/admin/v1/peers"))
          .header("Authorization", jp.tsunagu.node.testing.TestAdmin.authorization(node)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new JsonObject(body).getJsonArray("peers").stream().map(JsonObject.class::cast)
          .filter(p -> p.getString("node").equals(name)).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }


  @Override
  public void close() {
    new ArrayList<>(nodes.keySet()).forEach(this::stopNode);
  }
}
