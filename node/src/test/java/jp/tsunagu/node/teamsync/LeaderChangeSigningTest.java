package jp.tsunagu.node.teamsync;

import static jp.tsunagu.node.teamsync.CrossNodeTestbed.eventually;
import static jp.tsunagu.node.teamsync.CrossNodeTestbed.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.envelope.EventEnvelope;
import jp.tsunagu.federation.envelope.SequencedEvent;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.cluster.LeaderMoves;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.federation.DemoAgreement;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team sync's signer where the leadership of a clustered node moves (issue 24): three instances of 伊那 in this
 * JVM and a real 南箕輪 node with a real agreement, whose nurse is on a 伊那 patient's team. An instance that
 * stops leading stops signing: a page it was signing reaches no partner and nothing is tried again while it
 * follows; elected again, it signs again. A new leader signs exactly the rows that came to it by replication
 * (acknowledged by a follower), in seq order, each once, and none its predecessor committed alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class LeaderChangeSigningTest {

  @TempDir
  static Path dir;

  private final List<TsunaguNode> nodes = new ArrayList<>();
  private final Map<TsunaguNode, CareClient> doctors = new HashMap<>();
  private TsunaguNode partner;
  /** What team sync logs on every instance: a re-elected instance must reach its partners again. */
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> syncLines =
      new ch.qos.logback.core.read.ListAppender<>();
  private String doctorId;
  private String patientId;

  @BeforeAll
  void start() throws Exception {
    syncLines.start();
    syncLogger(SyncEngine.class).addAppender(syncLines);
    syncLogger(HomeRecovery.class).addAppender(syncLines);
    LeaderMoves.startThree(dir, nodes);
    TsunaguNode leader = LeaderMoves.leaderOf(nodes);
    JsonObject partnerJson = TestNodes.json("minamiminowa");
    partnerJson.getJsonObject("federation").put("port", jp.tsunagu.node.testing.TestPorts.freePort());
    partner = TsunaguNode.start(new ConfigLoader(n -> null).fromJson(partnerJson, dir.resolve("minamiminowa"))
        .asDemo());
    DemoAgreement.establish(List.of(TestNodes.federation(leader), TestNodes.federation(partner)), "kamiina",
        "上伊那地域在宅医療・介護連携に関する広域連携協定");
    String partnerPin = partner.services().keys().identity().tlsPin();
    eventually("every instance admits the partner", () -> nodes.stream()
        .allMatch(n -> TestNodes.federation(n).trust().current().accepts(partnerPin)));
    doctorId = professional(leader, "ina-doctor", "伊那", "doctor", "伊那中央クリニック", "clinic");
    CareClient nurse = new CareClient(partner,
        professional(partner, "mm-nurse", "南箕", "nurse", "みなみみのわ訪問看護ステーション", "home_nursing"));
    nurse.login("mm-nurse", CareTestbed.PASSWORD);
    patientId = CrossNodeTestbed.sharedPatient(doctorOn(leader), nurse, "mm-nurse@minamiminowa", "仁科");
    eventually("the partner holds the signed log", () -> head(partner) == head(leader) && unsigned(leader) == 0);
  }

  @AfterAll
  void stop() {
    syncLogger(SyncEngine.class).detachAppender(syncLines);
    syncLogger(HomeRecovery.class).detachAppender(syncLines);
    if (partner != null) {
      partner.close();
    }
    LeaderMoves.stopAll(nodes);
  }

  @Test
  @Order(1)
  void a_leader_demoted_while_its_signer_holds_a_page_pushes_nothing_and_tries_nothing_again_until_elected_again()
      throws Exception {
    TsunaguNode first = LeaderMoves.leaderOf(nodes);
    EventSigner signer = signer(first);
    long head = head(partner);
    EventSigner.PausedPage page = signer.pauseNextPage();
    assertThat(doctorOn(first).post(posts(), note("降格の間に署名された投稿。")).status()).isEqualTo(201);
    page.reached().get(30, TimeUnit.SECONDS);
    long told = signer.toldSigned();

    TsunaguNode next = LeaderMoves.moveUntil(nodes, first, false);
    eventually("the demoted instance's team sync stopped", () -> !signer.signing());
    page.go().complete(null);
    eventually("the page is dropped", () -> signer.pagesRead() > 0);
    long read = signer.pagesRead();
    Thread.sleep(3 * SyncVerticle.SWEEP_MILLIS); // a failed store used to be tried again every second
    assertThat(signer.toldSigned()).as("nothing it signed after the loss told to the push").isEqualTo(told);
    assertThat(signer.pagesRead()).as("nothing tried again while it follows").isEqualTo(read);
    assertThat(LeaderMoves.leads(first)).isFalse();

    // The new leader signs it (the same bytes), and the partner has it once.
    eventually("the partner receives it from the new leader", () -> head(partner) == head + 1);
    assertVerifiedWithoutGaps(next, head + 1);
    eventually("the signature reaches the demoted instance too", () -> unsigned(first) == 0);

    long toldAgain = signer.toldSigned();
    postOnceLeading(first, "再び選ばれた後の投稿。");
    eventually("the partner receives what it signs", () -> head(partner) == head + 2);
    assertThat(signer.toldSigned()).as("it signs again").isGreaterThan(toldAgain);
    assertVerifiedWithoutGaps(first, head + 2);
    assertThat(syncLines.list).as("team sync elected again reaches its partners with a client of its own")
        .noneMatch(line -> line.getFormattedMessage().contains("start check")
            && line.getFormattedMessage().contains("Client is closed"));
  }

  /**
   * Writes a post through {@code node} once it leads again: a 503 that wrote nothing (the board held while team
   * sync's start asks the partner for its cursors, or the leadership moving on meanwhile) is tried again.
   */
  private void postOnceLeading(TsunaguNode node, String body) throws Exception {
    for (int tries = 0; tries < 60; tries++) {
      assertThat(LeaderMoves.moveUntil(nodes, node, true)).isSameAs(node);
      eventually("its team sync runs again", signer(node)::signing);
      CareClient.Reply reply = doctorOn(node).post(posts(), note(body));
      if (reply.status() == 201) {
        return;
      }
      assertThat(reply.status()).as(reply.body()).isEqualTo(503);
      assertThat(reply.code()).as(reply.body()).isIn("sync.home_recovering", "cluster.not_leader", "cluster.no_leader",
          "cluster.leader_changed", "cluster.lease_lapsed");
      Thread.sleep(500);
    }
    throw new AssertionError("no post written through the instance elected again");
  }

  private static ch.qos.logback.classic.Logger syncLogger(Class<?> type) {
    return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(type);
  }

  @Test
  @Order(2)
  void a_new_leader_signs_exactly_the_rows_a_follower_applied_in_seq_order_each_once() throws Exception {
    TsunaguNode old = LeaderMoves.leaderOf(nodes);
    List<TsunaguNode> survivors = nodes.stream().filter(n -> n != old).toList();
    eventually("every instance and the partner hold the board signed", () -> head(partner) == head(old)
        && nodes.stream().allMatch(n -> unsigned(n) == 0 && head(n) == head(old)));
    long head = head(partner);
    signer(old).hold();
    CareClient doctor = doctorOn(old);
    for (int i = 1; i <= 3; i++) {
      assertThat(doctor.post(posts(), note("複製された投稿 " + i)).status()).isEqualTo(201);
    }
    // Acknowledged: a follower applied each before its answer, the other within the delay of the followers no
    // write waits for; none signed anywhere yet. Both hold them before the cut, whichever is elected next.
    eventually("both followers hold the three unsigned", () -> survivors.stream().allMatch(n -> unsigned(n) == 3));
    Map<TsunaguNode, Long> toldBefore = new HashMap<>();
    survivors.forEach(n -> toldBefore.put(n, signer(n).toldSigned()));

    AutoCloseable cutOff = LeaderMoves.cutOff(old);
    CompletableFuture<CareClient.Reply> lost = CompletableFuture.supplyAsync(
        () -> doctor.post(posts(), note("複製されなかった投稿")));
    eventually("committed on the leader alone", () -> head(old) == head + 4);
    assertThat(survivors).allMatch(n -> head(n) == head + 3);
    LeaderMoves.kill(old);
    cutOff.close();
    nodes.remove(old);
    lost.handle((reply, failure) -> null).get(60, TimeUnit.SECONDS);

    TsunaguNode leader = LeaderMoves.leaderOf(nodes);
    eventually("the partner receives the three the new leader signed", () -> head(partner) == head + 3);
    eventually("none is left unsigned", () -> nodes.stream().allMatch(n -> unsigned(n) == 0));
    Thread.sleep(2 * SyncVerticle.SWEEP_MILLIS);
    assertThat(head(partner)).as("nothing the old leader held alone").isEqualTo(head + 3);
    assertThat(head(leader)).isEqualTo(head + 3);
    assertThat(signer(leader).toldSigned() - toldBefore.get(leader)).as("each signed once").isEqualTo(3);
    for (TsunaguNode other : nodes) {
      if (other != leader) {
        assertThat(signer(other).toldSigned()).as("a follower signs nothing").isEqualTo(toldBefore.get(other));
      }
    }
    List<String> signedData = assertVerifiedWithoutGaps(leader, head + 3);
    for (int i = 1; i <= 3; i++) {
      assertThat(signedData.get((int) head + i - 1)).as("in seq order").contains("複製された投稿 " + i);
    }
    assertThat(signedData).noneMatch(data -> data.contains("複製されなかった投稿"));
  }

  /** The home's and the partner's logs are the same envelopes, verified, seq 1 to {@code head}; their events' data. */
  private List<String> assertVerifiedWithoutGaps(TsunaguNode home, long head) {
    List<String> atHome = envelopes(home);
    assertThat(envelopes(partner)).isEqualTo(atHome);
    assertThat(atHome).hasSize((int) head);
    var trust = partner.feature(TeamSyncFeature.class).sync().trustStore();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < atHome.size(); i++) {
      SequencedEvent event = EventEnvelope.verifyCountersigned(atHome.get(i), trust);
      assertThat(event.sequence()).isEqualTo(i + 1);
      bodies.add(String.valueOf(event.origin().event().data()));
    }
    return bodies;
  }

  private CareClient doctorOn(TsunaguNode node) {
    return doctors.computeIfAbsent(node, n -> {
      CareClient client = new CareClient(n, doctorId);
      client.login("ina-doctor", CareTestbed.PASSWORD);
      return client;
    });
  }

  private String posts() {
    return "/api/v1/patients/" + patientId + "/posts";
  }

  private List<String> envelopes(TsunaguNode node) {
    return node.services().database().submitRead(c -> {
      List<String> envelopes = new ArrayList<>();
      try (var s = c.prepareStatement("select envelope from team_events where board_id = ? order by seq")) {
        s.setString(1, patientId);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            envelopes.add(rs.getString(1));
          }
        }
      }
      return envelopes;
    }).join();
  }

  private long head(TsunaguNode node) {
    return node.services().database().submitRead(c -> TeamLogSql.latestSeq(c, patientId)).join();
  }

  private static long unsigned(TsunaguNode node) {
    return CrossNodeTestbed.count(node, "select count(*) from team_events_unsigned where ? is not null", "x");
  }

  private static EventSigner signer(TsunaguNode node) {
    return node.feature(TeamSyncFeature.class).team().log().signer();
  }

  private static String professional(TsunaguNode node, String loginId, String family, String profession,
      String facilityName, String category) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String municipality = node.services().config().node().municipalities().get(0);
    String facility = seeder.createFacility(facilityName, municipality, "長野県", category);
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@example.jp", family, "花子", "テスト",
        "ハナコ", profession, Role.PROFESSIONAL, Optional.of(facility)), CareTestbed.PASSWORD, "windows").userId();
  }
}
