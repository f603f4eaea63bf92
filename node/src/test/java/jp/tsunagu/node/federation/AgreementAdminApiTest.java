package jp.tsunagu.node.federation;

import static jp.tsunagu.node.federation.FederationTestNodes.get;
import static jp.tsunagu.node.federation.FederationTestNodes.identity;
import static jp.tsunagu.node.federation.FederationTestNodes.json;
import static jp.tsunagu.node.federation.FederationTestNodes.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.json.CanonicalJson;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.node.TsunaguNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agreement store through the admin API of real nodes: imports, refusals, amendments, withdrawals. */
class AgreementAdminApiTest {

  private static final String TITLE = "上伊那地域在宅医療・介護連携に関する広域連携協定";

  @TempDir
  static Path dir;
  static TsunaguNode ina;
  static TsunaguNode minamiminowa;
  static NodeIdentity minowa;
  static NodeIdentity stranger;

  @BeforeAll
  static void startNodes() {
    ina = FederationTestNodes.start(dir.resolve("ina"), "ina");
    minamiminowa = FederationTestNodes.start(dir.resolve("minamiminowa"), "minamiminowa");
    minowa = OfflineIdentities.offline(dir, "minowa", "203831");
    stranger = OfflineIdentities.stranger(dir);
  }

  @AfterAll
  static void stopNodes() {
    ina.close();
    minamiminowa.close();
  }

  private static List<NodeIdentity> pair() {
    return List.of(identity(ina), identity(minamiminowa));
  }

  private static AgreementDocument fullySigned(String id) {
    Instant now = Instant.now();
    return AgreementDrafts.signed(id, TITLE, pair(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)),
        pair());
  }

  private static String listing() {
    return get(ina, "/admin/v1/agreements").body();
  }

  private static void assertRefused(String body, int status, String code) {
    String before = listing();
    HttpResponse<String> response = post(ina, "/admin/v1/agreements", body);
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = json(response);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("requestId")).isNotBlank();
    assertThat(listing()).as("nothing stored").isEqualTo(before);
  }

  @Test
  @DisplayName("a fully signed agreement is imported as active and listed with its parties")
  void importsAndLists() {
    HttpResponse<String> response = post(ina, "/admin/v1/agreements", fullySigned("kamiina-import").toPrettyJson());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).getString("id")).isEqualTo("kamiina-import");
    assertThat(json(response).getLong("version")).isEqualTo(1L);
    assertThat(json(response).getString("status")).isEqualTo("active");

    JsonObject listed = agreement("kamiina-import", 1);
    assertThat(listed.getString("title")).isEqualTo(TITLE);
    assertThat(listed.getString("status")).isEqualTo("active");
    assertThat(listed.getJsonArray("parties").stream().map(p -> ((JsonObject) p).getString("status")))
        .containsExactly("signed", "signed");
    assertThat(listed.getString("importedAt")).isNotBlank();
  }

  @Test
  @DisplayName("importing the same document twice changes nothing and answers 200")
  void reimportIsIdempotent() {
    String document = fullySigned("kamiina-twice").toCompactJson();
    assertThat(post(ina, "/admin/v1/agreements", document).statusCode()).isEqualTo(201);
    String before = listing();
    HttpResponse<String> again = post(ina, "/admin/v1/agreements", document);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).getBoolean("changed")).isFalse();
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  @DisplayName("a tampered payload is refused with agreement.signature_invalid and nothing is stored")
  void tamperedPayload() {
    JsonObject file = new JsonObject(fullySigned("kamiina-tampered").toCompactJson());
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(file.getString("payload")),
        StandardCharsets.UTF_8));
    payload.put("retentionDays", 3650);
    file.put("payload", Base64.getUrlEncoder().withoutPadding().encodeToString(
        CanonicalJson.bytes(Json.parse(payload.encode()))));
    assertRefused(file.encode(), 422, "agreement.signature_invalid");
  }

  @Test
  @DisplayName("a draft missing a party's signature is refused with agreement.signature_missing")
  void missingSignature() {
    Instant now = Instant.now();
    AgreementDocument onlyIna = AgreementDrafts.signed("kamiina-draft", TITLE, pair(), now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(30)), List.of(identity(ina)));
    assertRefused(onlyIna.toPrettyJson(), 422, "agreement.signature_missing");
  }

  @Test
  @DisplayName("an expired agreement is refused with agreement.expired")
  void expired() {
    Instant now = Instant.now();
    AgreementDocument expired = AgreementDrafts.signed("kamiina-expired", TITLE, pair(),
        now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(30)), pair());
    assertRefused(expired.toPrettyJson(), 422, "agreement.expired");
  }

  @Test
  @DisplayName("an agreement that is not yet valid is refused with agreement.not_yet_valid")
  void notYetValid() {
    Instant now = Instant.now();
    AgreementDocument later = AgreementDrafts.signed("kamiina-later", TITLE, pair(), now.plus(Duration.ofDays(30)),
        now.plus(Duration.ofDays(400)), pair());
    assertRefused(later.toPrettyJson(), 422, "agreement.not_yet_valid");
  }

  @Test
  @DisplayName("garbage, truncated JSON and an empty body are refused with their codes")
  void garbage() {
    assertRefused("this is not an agreement", 400, "agreement.not_json");
    String truncated = fullySigned("kamiina-truncated").toPrettyJson();
    assertRefused(truncated.substring(0, truncated.length() / 2), 400, "agreement.not_json");
    assertRefused("{\"hello\": 1}", 422, "agreement.malformed");
    assertRefused("", 400, "request.body_missing");
  }

  @Test
  @DisplayName("an agreement between other nodes is refused with agreement.not_a_party")
  void notAParty() {
    Instant now = Instant.now();
    List<NodeIdentity> others = List.of(identity(minamiminowa), minowa);
    AgreementDocument elsewhere = AgreementDrafts.signed("kamiina-others", TITLE, others,
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), others);
    assertRefused(elsewhere.toPrettyJson(), 422, "agreement.not_a_party");
  }

  @Test
  @DisplayName("an amendment naming the wrong predecessor hash is refused and the predecessor stays active")
  void wrongPredecessor() {
    Instant now = Instant.now();
    AgreementDocument v1 = fullySigned("kamiina-pred");
    assertThat(post(ina, "/admin/v1/agreements", v1.toPrettyJson()).statusCode()).isEqualTo(201);
    AgreementDocument other = AgreementDrafts.signed("kamiina-pred", "別の協定", pair(), now.minus(Duration.ofDays(2)),
        now.plus(Duration.ofDays(10)), pair());
    List<NodeIdentity> three = List.of(identity(ina), identity(minamiminowa), minowa);
    AgreementDocument wrong = AgreementDrafts.amendment(other, three, now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(700)), three);
    assertRefused(wrong.toPrettyJson(), 422, "agreement.predecessor_hash_mismatch");
    assertThat(agreement("kamiina-pred", 1).getString("status")).isEqualTo("active");
  }

  @Test
  @DisplayName("an amendment adding minowa supersedes the version ina and minamiminowa signed")
  void amendmentSupersedes() {
    Instant now = Instant.now();
    AgreementDocument v1 = AgreementDrafts.signed("kamiina-amend", TITLE, pair(), now.minus(Duration.ofDays(300)),
        now.plus(Duration.ofDays(800)), pair());
    assertThat(post(ina, "/admin/v1/agreements", v1.toPrettyJson()).statusCode()).isEqualTo(201);
    List<NodeIdentity> three = List.of(identity(ina), identity(minamiminowa), minowa);
    AgreementDocument lacking = AgreementDrafts.amendment(v1, three, now.minus(Duration.ofDays(10)),
        now.plus(Duration.ofDays(700)), pair());
    assertRefused(lacking.toPrettyJson(), 422, "agreement.amendment_signatures_missing");

    AgreementDocument v2 = AgreementDrafts.amendment(v1, three, now.minus(Duration.ofDays(10)),
        now.plus(Duration.ofDays(700)), three);
    HttpResponse<String> response = post(ina, "/admin/v1/agreements", v2.toPrettyJson());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).getString("status")).isEqualTo("active");
    assertThat(agreement("kamiina-amend", 1).getString("status")).isEqualTo("superseded");
    assertThat(agreement("kamiina-amend", 2).getJsonArray("parties")).hasSize(3);
  }

  @Test
  @DisplayName("a withdrawal is recorded, shows the party as withdrawn, and a forged one is refused")
  void withdrawal() {
    AgreementDocument agreement = fullySigned("kamiina-leave");
    assertThat(post(ina, "/admin/v1/agreements", agreement.toPrettyJson()).statusCode()).isEqualTo(201);

    WithdrawalStatement forged = WithdrawalStatement.sign(AgreementDrafts.signed("kamiina-leave", TITLE,
        List.of(identity(ina), stranger), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(9)),
        List.of()), stranger, Instant.now());
    HttpResponse<String> refused = post(ina, "/admin/v1/withdrawals", Json.write(forged.toJson()));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(json(refused).getString("code")).startsWith("withdrawal.");

    WithdrawalStatement leave = WithdrawalStatement.sign(agreement, identity(minamiminowa), Instant.now());
    HttpResponse<String> response = post(ina, "/admin/v1/withdrawals", Json.write(leave.toJson()));
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).getString("id")).isEqualTo("kamiina-leave");
    JsonArray parties = agreement("kamiina-leave", 1).getJsonArray("parties");
    assertThat(parties.getJsonObject(1).getString("node")).isEqualTo("minamiminowa");
    assertThat(parties.getJsonObject(1).getString("status")).isEqualTo("withdrawn");
    assertThat(post(ina, "/admin/v1/withdrawals", Json.write(leave.toJson())).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("agreements and withdrawals survive a restart of the node")
  void survivesRestart() {
    Path restartDir = dir.resolve("restart");
    TsunaguNode node = FederationTestNodes.start(restartDir, "minowa");
    NodeIdentity minowaNode = identity(node);
    List<NodeIdentity> parties = List.of(identity(ina), minowaNode);
    Instant now = Instant.now();
    AgreementDocument document = AgreementDrafts.signed("minowa-ina", TITLE, parties, now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(30)), parties);
    try (node) {
      assertThat(post(node, "/admin/v1/agreements", document.toPrettyJson()).statusCode()).isEqualTo(201);
    }
    try (TsunaguNode again = TsunaguNode.start(node.services().config())) {
      JsonArray agreements = json(get(again, "/admin/v1/agreements")).getJsonArray("agreements");
      assertThat(agreements).hasSize(1);
      assertThat(agreements.getJsonObject(0).getString("status")).isEqualTo("active");
      assertThat(FederationTestNodes.federation(again).trust().current().accepts(identity(ina).tlsPin())).isTrue();
    }
  }

  private static JsonObject agreement(String id, long version) {
    JsonArray all = json(get(ina, "/admin/v1/agreements")).getJsonArray("agreements");
    return all.stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("id").equals(id) && a.getLong("version") == version)
        .findFirst().orElseThrow(() -> new AssertionError(id + " v" + version + " not listed in " + all));
  }
}
