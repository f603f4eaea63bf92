package jp.tsunagu.node.disaster;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import jp.tsunagu.node.testing.TestPorts;

/**
 * A real 伊那市 node with one account of each role logged in, a facility, and a stand-in for the
 * address search that knows {@link #KNOWN_ADDRESS} only (every other address is "not found", so its
 * person is placed at the 地区's centre).
 */
final class DisasterNode implements AutoCloseable {

  static final String PASSWORD = "Ina-saigai-2026!";
  static final String KNOWN_ADDRESS = "伊那市西箕輪3000-1";
  static final String HEADER = "氏名,ふりがな,生年月日,性別,住所,地区,電話,支援が必要な理由,避難支援者,避難支援者連絡先,"
      + "情報提供への同意,個別避難計画,避難先\n";

  final TsunaguNode node;
  final DisasterClient staff;
  final DisasterClient nurse;
  final DisasterClient facilityAdmin;
  final DisasterClient responder;
  private final Vertx geocoderVertx = Vertx.vertx();
  private final boolean searchReachable;
  /** How many times the node asked the address search. */
  final java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();

  DisasterNode(Path dir) throws Exception {
    this(dir, true);
  }

  /**
   * @param searchReachable false: the node's address search is a closed port, so the background
   *     placement finds it unreachable and waits (the benchmark measures the dashboard without it)
   */
  DisasterNode(Path dir, boolean searchReachable) throws Exception {
    this.searchReachable = searchReachable;
    HttpServer geocoder = geocoderVertx.createHttpServer().requestHandler(request -> {
      searches.incrementAndGet();
      JsonArray answer = new JsonArray();
      if (KNOWN_ADDRESS.equals(request.getParam("q"))) {
        answer.add(new JsonObject().put("geometry", new JsonObject().put("coordinates",
            new JsonArray().add(137.9111).add(35.8666))).put("properties", new JsonObject().put("title", "西箕輪")));
      }
      request.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int port = geocoder.actualPort();
    if (!searchReachable) {
      port = TestPorts.freePort();
    }
    JsonObject config = TestNodes.json("ina").put("geocoder", new JsonObject().put("url",
        "http://127.0.0.1:" + port + "/search?q="));
    // -Dbench.tls.engine=jdk|openssl measures one TLS engine against the other on the same machine.
    String engine = System.getProperty("bench.tls.engine");
    if (engine != null) {
      config.put("tls", new JsonObject().put("engine", engine));
    }
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(config, dir).asDemo());
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那中央訪問看護ステーション", "202096", "長野県", "訪問看護");
    account(seeder, "ina-gyosei", Role.MUNICIPAL_STAFF, "municipal_staff", Optional.empty());
    account(seeder, "ina-kango", Role.PROFESSIONAL, "nurse", Optional.of(facility));
    account(seeder, "ina-shisetsu", Role.FACILITY_ADMIN, "nurse", Optional.of(facility));
    account(seeder, "ina-kyukyu", Role.EMERGENCY_RESPONDER, "emergency_responder", Optional.empty());
    staff = new DisasterClient(node).login("ina-gyosei", PASSWORD);
    nurse = new DisasterClient(node).login("ina-kango", PASSWORD);
    facilityAdmin = new DisasterClient(node).login("ina-shisetsu", PASSWORD);
    responder = new DisasterClient(node).login("ina-kyukyu", PASSWORD);
  }

  private static void account(AccountSeeder seeder, String loginId, Role role, String profession,
      Optional<String> facility) {
    seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", "太郎", "イナ", "タロウ",
        profession, role, facility), PASSWORD, "windows");
  }

  /** Every role but 行政, and nobody: who must be refused each 行政 route. */
  Map<String, DisasterClient> others() {
    return Map.of("professional", nurse, "facility_admin", facilityAdmin, "emergency_responder", responder,
        "anonymous", new DisasterClient(node).anonymous());
  }

  static byte[] csv(String... rows) {
    return (HEADER + String.join("\n", rows) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Uploads and confirms a file as the next version; returns the preview the upload answered. */
  JsonObject importAndConfirm(byte[] csv) {
    HttpResponse<String> uploaded = staff.postCsv("/api/v1/disaster/register/imports", csv);
    if (uploaded.statusCode() != 201) {
      throw new AssertionError("upload failed: " + uploaded.body());
    }
    JsonObject preview = new JsonObject(uploaded.body());
    HttpResponse<String> confirmed = staff.postJson("/api/v1/disaster/register/imports/" + preview.getString("id")
        + "/confirm", new JsonObject());
    if (confirmed.statusCode() != 200) {
      throw new AssertionError("confirm failed: " + confirmed.body());
    }
    // The homes are placed in the background: wait, so a test's "nothing changed" is not that job
    // (with the search unreachable, the job waits and places nothing).
    try {
      if (searchReachable) {
        awaitPlaced();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return preview;
  }

  /**
   * Waits until the background placement has had the address search's answer for every address of
   * the current and pending register still at its 地区's centre.
   */
  void awaitPlaced() throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (jp.tsunagu.node.testing.TestSql.count(node, "select count(*) from disaster_register_people p"
          + " join disaster_register_imports i on i.id = p.import_id and i.status in ('confirmed', 'pending')"
          + " where p.approximate = 1 and not exists (select 1 from disaster_register_placements t"
          + " where t.address = p.address)") == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the register's people were not placed in the background");
  }

  @Override
  public void close() throws Exception {
    node.close();
    geocoderVertx.close().await(10, TimeUnit.SECONDS);
  }
}
