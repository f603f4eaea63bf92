package jp.tsunagu.node.federation;

import static jp.tsunagu.node.federation.FederationTestNodes.federation;
import static jp.tsunagu.node.federation.FederationTestNodes.identity;
import static jp.tsunagu.node.federation.FederationTestNodes.json;
import static jp.tsunagu.node.federation.FederationTestNodes.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.TrustStore;
import jp.tsunagu.federation.wire.HelloResponse;
import jp.tsunagu.federation.wire.SharedAgreement;
import jp.tsunagu.node.TsunaguNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation listener of real nodes over real mutual TLS with the nodes' own certificates: who
 * gets past the handshake, and how that follows imports, withdrawals and expiry without a restart.
 */
class FederationListenerTest {

  private static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";

  @TempDir
  Path dir;
  TsunaguNode ina;
  TsunaguNode minamiminowa;
  Vertx vertx;

  @BeforeEach
  void startNodes() {
    ina = FederationTestNodes.start(dir.resolve("ina"), "ina");
    minamiminowa = FederationTestNodes.start(dir.resolve("minamiminowa"), "minamiminowa");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopNodes() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    ina.close();
    minamiminowa.close();
  }

  /**
   * Minamiminowa calling ina's hello on a fresh connection. The caller pins ina's certificate
   * itself, so whatever is refused here is refused by ina's listener.
   */
  private Future<HelloResponse> helloFromMinamiminowa(TsunaguNode target) {
    NodeCard inaCard = identity(target).card();
    FederationClient client = new FederationClient(vertx, identity(minamiminowa), pin -> pin.equals(inaCard.tlsPin()));
    return client.hello(inaCard, TrustStore.of(List.of(inaCard))).eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  private static HelloResponse await(Future<HelloResponse> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private void assertRefusedAtHandshake(Future<HelloResponse> call) {
    double refusedBefore = federation(ina).refusedHandshakes();
    Throwable failure = catchThrowable(() -> await(call));
    assertThat(failure).isInstanceOf(PeerCallException.class);
    assertThat(((PeerCallException) failure).code()).isEqualTo("peer.unreachable");
    assertThat(federation(ina).refusedHandshakes()).as("ina's pin check refused the handshake")
        .isGreaterThan(refusedBefore);
  }

  private AgreementDocument agreement(String id, Instant notAfter) {
    List<NodeIdentity> pair = List.of(identity(ina), identity(minamiminowa));
    return AgreementDrafts.signed(id, TITLE, pair, Instant.now().minus(Duration.ofDays(1)), notAfter, pair);
  }

  private void importInto(AgreementDocument document, TsunaguNode... nodes) {
    for (TsunaguNode node : nodes) {
      assertThat(post(node, "/admin/v1/agreements", document.toCompactJson()).statusCode()).isEqualTo(201);
    }
  }

  @Test
  @DisplayName("a peer with an unpinned certificate is refused at the handshake")
  void unpinnedPeerIsRefused() {
    importInto(agreement("kamiina", Instant.now().plus(Duration.ofDays(30))), ina);
    NodeIdentity stranger = OfflineIdentities.stranger(dir);
    NodeCard inaCard = identity(ina).card();
    FederationClient client = new FederationClient(vertx, stranger, pin -> pin.equals(inaCard.tlsPin()));
    assertRefusedAtHandshake(client.hello(inaCard, TrustStore.of(List.of(inaCard))));
  }

  @Test
  @DisplayName("a partner is refused before the agreement, accepted after its import, refused after its withdrawal "
      + "and accepted again under a new agreement, all without a restart")
  void trustFollowsAgreements() {
    assertRefusedAtHandshake(helloFromMinamiminowa(ina));

    AgreementDocument kamiina = agreement("kamiina", Instant.now().plus(Duration.ofDays(30)));
    importInto(kamiina, ina);
    HelloResponse hello = await(helloFromMinamiminowa(ina));
    assertThat(hello.node().profile().name()).isEqualTo("ina");
    assertThat(hello.agreements()).containsExactly(new SharedAgreement("kamiina", 1, kamiina.sha256(), "active"));

    WithdrawalStatement leave = WithdrawalStatement.sign(kamiina, identity(minamiminowa), Instant.now());
    assertThat(post(ina, "/admin/v1/withdrawals", Json.write(leave.toJson())).statusCode()).isEqualTo(201);
    assertRefusedAtHandshake(helloFromMinamiminowa(ina));

    importInto(agreement("kamiina-renewed", Instant.now().plus(Duration.ofDays(30))), ina);
    assertThat(await(helloFromMinamiminowa(ina)).agreements()).extracting(SharedAgreement::id)
        .containsExactly("kamiina-renewed");
  }

  @Test
  @DisplayName("a connection opened before a withdrawal gets 403 at its next request")
  void openConnectionLosesTrust() {
    AgreementDocument kamiina = agreement("kamiina", Instant.now().plus(Duration.ofDays(30)));
    importInto(kamiina, ina);
    NodeCard inaCard = identity(ina).card();
    try (FederationClient client = new FederationClient(vertx, identity(minamiminowa),
        pin -> pin.equals(inaCard.tlsPin()))) {
      TrustStore trust = TrustStore.of(List.of(inaCard));
      await(client.hello(inaCard, trust));
      WithdrawalStatement leave = WithdrawalStatement.sign(kamiina, identity(minamiminowa), Instant.now());
      assertThat(post(ina, "/admin/v1/withdrawals", Json.write(leave.toJson())).statusCode()).isEqualTo(201);
      Throwable failure = catchThrowable(() -> await(client.hello(inaCard, trust)));
      assertThat(failure).isInstanceOf(PeerCallException.class);
      assertThat(((PeerCallException) failure).code()).isIn("peer.refused", "peer.unreachable");
      assertThat(failure.getMessage()).satisfiesAnyOf(
          m -> assertThat(m).contains("federation.peer_not_trusted"),
          m -> assertThat(m).contains("ina"));
    }
  }

  @Test
  @DisplayName("a partner is refused once the agreement expires, without a restart")
  void expiryEndsTrust() throws InterruptedException {
    Instant notAfter = Instant.now().plusSeconds(4);
    importInto(agreement("kamiina-short", notAfter), ina);
    await(helloFromMinamiminowa(ina));
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), notAfter).toMillis()) + 200);
    assertRefusedAtHandshake(helloFromMinamiminowa(ina));
  }

  @Test
  @DisplayName("the peers endpoint shows each partner of an active agreement as reachable with its last contact")
  void peersEndpoint() {
    importInto(agreement("kamiina", Instant.now().plus(Duration.ofDays(30))), ina, minamiminowa);
    JsonObject answer = json(FederationTestNodes.get(ina, "/admin/v1/peers"));
    assertThat(answer.getJsonArray("peers")).hasSize(1);
    JsonObject peer = answer.getJsonArray("peers").getJsonObject(0);
    assertThat(peer.getString("node")).isEqualTo("minamiminowa");
    assertThat(peer.getString("endpoint")).isEqualTo(FederationTestNodes.endpoint(minamiminowa).toString());
    assertThat(peer.getBoolean("reachable")).as(peer.encode()).isTrue();
    assertThat(peer.getString("lastContact")).isNotBlank();
    assertThat(peer.getLong("backlog")).isZero();
    assertThat(peer.getLong("lagSeconds")).isZero();
  }
}
