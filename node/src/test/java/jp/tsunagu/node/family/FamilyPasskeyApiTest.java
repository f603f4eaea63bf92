package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passkeys of family accounts over the real API, with answers made by {@link SoftPasskey}: a
 * registration and a login by the passkey alone; and every answer that must not open the notebook,
 * each refused with its stable code, audited, and changing nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyPasskeyApiTest {

  @TempDir
  static Path dir;
  FamilyTestbed bed;
  String origin;

  @BeforeAll
  void start() {
    bed = new FamilyTestbed(dir);
    origin = bed.bed.node.webUrl().toString().replace("127.0.0.1", "localhost").replaceAll("/+$", "");
  }

  @AfterAll
  void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  /** Registers a new soft passkey for the logged-in family client. */
  private CareClient.Reply register(CareClient family, SoftPasskey passkey) {
    JsonObject options = family.post("/api/v1/family/passkeys/options", new JsonObject()).json();
    return family.post("/api/v1/family/passkeys", passkey.registration(options.getString("challenge"), origin,
        options.getJsonObject("rp").getString("id")));
  }

  private String loginChallenge(CareClient client) {
    CareClient.Reply options = client.post("/api/v1/family/auth/passkey/options", new JsonObject());
    assertThat(options.status()).as(options.body()).isEqualTo(200);
    return options.json().getString("challenge");
  }

  private CareClient.Reply login(CareClient client, SoftPasskey passkey) {
    return client.post("/api/v1/family/auth/passkey", passkey.assertion(loginChallenge(client), origin, "localhost",
        true));
  }

  /** Row counts apart from the audit log and the challenges handed out (each used up or left to expire). */
  private Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>(TestSql.rowCounts(bed.bed.node));
    counts.remove("audit_log");
    counts.remove("family_passkey_challenges");
    return counts;
  }

  @Test
  void a_node_on_loopback_is_its_passkeys_relying_party_as_localhost_and_a_named_host_as_itself() {
    assertThat(FamilyPasskeys.relyingPartyId("127.0.0.1")).isEqualTo("localhost");
    assertThat(FamilyPasskeys.relyingPartyId("[::1]")).isEqualTo("localhost");
    assertThat(FamilyPasskeys.relyingPartyId("ina.tsunagu.example.jp")).isEqualTo("ina.tsunagu.example.jp");
    assertThat(FamilyPasskeys.relyingPartyId("192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  void a_family_member_registers_a_passkey_and_logs_in_with_it_alone_and_the_team_sees_it() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "pk-main@example.jp");
    CareClient session = bed.loggedIn(family, 0);
    JsonObject options = session.post("/api/v1/family/passkeys/options", new JsonObject()).json();
    assertThat(options.getJsonObject("rp").getString("id")).isEqualTo("localhost");
    assertThat(options.getJsonObject("user").getString("name")).isEqualTo(family.loginId());
    assertThat(options.getJsonObject("authenticatorSelection").getString("userVerification")).isEqualTo("required");
    assertThat(options.getJsonObject("authenticatorSelection").getString("residentKey")).isEqualTo("required");
    SoftPasskey passkey = new SoftPasskey();
    CareClient.Reply registered = session.post("/api/v1/family/passkeys",
        passkey.registration(options.getString("challenge"), origin, "localhost"));
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);

    CareClient phone = bed.anonymous();
    JsonObject loginOptions = phone.post("/api/v1/family/auth/passkey/options", new JsonObject()).json();
    assertThat(loginOptions.getString("rpId")).isEqualTo("localhost");
    assertThat(loginOptions.containsKey("allowCredentials")).isFalse();
    CareClient.Reply in = phone.post("/api/v1/family/auth/passkey",
        passkey.assertion(loginOptions.getString("challenge"), origin, "localhost", true));
    assertThat(in.status()).as(in.body()).isEqualTo(200);
    phone.useCsrf(in.json().getString("csrfToken"));
    assertThat(phone.get("/api/v1/family/notebook").status()).isEqualTo(200);
    assertThat(phone.get("/api/v1/family/passkeys").json().getJsonArray("passkeys").getJsonObject(0)
        .getString("lastUsedAt")).isNotNull();
    assertThat(bed.doctor.get("/api/v1/patients/" + bed.patient + "/family/accounts").body())
        .contains("\"passkeys\":1");
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and actor = ? and outcome = 'success' and detail like '%passkey%'", "family:" + family.accountId()))
        .isEqualTo(1);
  }

  @Test
  void a_replayed_answer_another_sites_answer_another_keys_signature_and_an_unverified_person_are_refused() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "pk-abuse@example.jp");
    SoftPasskey passkey = new SoftPasskey();
    assertThat(register(bed.loggedIn(family, 0), passkey).status()).isEqualTo(201);
    Map<String, Long> before = counts();
    CareClient phone = bed.anonymous();

    JsonObject answer = passkey.assertion(loginChallenge(phone), origin, "localhost", true);
    assertThat(phone.post("/api/v1/family/auth/passkey", answer).status()).isEqualTo(200);
    CareClient thief = bed.anonymous();
    CareClient.Reply replayed = thief.post("/api/v1/family/auth/passkey", answer);
    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.code()).isEqualTo("family.passkey_invalid");

    CareClient.Reply elsewhere = thief.post("/api/v1/family/auth/passkey",
        passkey.assertion(loginChallenge(thief), "https://ina-tsunagu.example.net", "localhost", true));
    assertThat(elsewhere.code()).isEqualTo("family.passkey_invalid");
    CareClient.Reply otherRp = thief.post("/api/v1/family/auth/passkey",
        passkey.assertion(loginChallenge(thief), origin, "example.net", true));
    assertThat(otherRp.code()).isEqualTo("family.passkey_invalid");
    CareClient.Reply forged = thief.post("/api/v1/family/auth/passkey",
        new SoftPasskey(passkey.credentialId).assertion(loginChallenge(thief), origin, "localhost", true));
    assertThat(forged.code()).isEqualTo("family.passkey_invalid");
    CareClient.Reply unverified = thief.post("/api/v1/family/auth/passkey",
        passkey.assertion(loginChallenge(thief), origin, "localhost", false));
    assertThat(unverified.code()).isEqualTo("family.passkey_invalid");
    CareClient.Reply unknown = login(thief, new SoftPasskey());
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.code()).isEqualTo("family.passkey_unknown");
    for (JsonObject malformed : new JsonObject[] {new JsonObject(), new JsonObject().put("credential",
        new JsonObject().put("id", "AAAAAAAAAAAAAAAAAAAAAA").put("response",
            new JsonObject().put("clientDataJSON", "not base64 !")))}) {
      CareClient.Reply reply = thief.post("/api/v1/family/auth/passkey", malformed);
      assertThat(reply.status()).as(reply.body()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("family.passkey_invalid");
    }
    // Not an object where the answer goes: the document's schema refuses it before the route.
    assertThat(thief.post("/api/v1/family/auth/passkey", new JsonObject().put("credential", "x")).code())
        .isEqualTo("validation.malformed");
    assertThat(thief.get("/api/v1/family/notebook").status()).isEqualTo(404);
    // Only the successful login changed anything (its session and the account's last login).
    Map<String, Long> after = counts();
    after.put("family_sessions", after.get("family_sessions") - 1);
    assertThat(after).isEqualTo(before);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and actor = ? and outcome <> 'success' and detail like '%family.passkey_invalid%'",
        "family:" + family.accountId())).isEqualTo(4);
  }

  @Test
  void a_passkey_another_account_holds_is_refused_and_one_accounts_challenge_serves_no_other() {
    SoftPasskey passkey = new SoftPasskey();
    CareClient first = bed.loggedIn(bed.invited(bed.doctor, bed.patient, "pk-first@example.jp"), 0);
    assertThat(register(first, passkey).status()).isEqualTo(201);
    FamilyTestbed.Family other = bed.invited(bed.otherDoctor, bed.otherPatient, "pk-second@example.jp");
    CareClient second = bed.loggedIn(other, 0);
    Map<String, Long> before = counts();

    CareClient.Reply taken = register(second, passkey);
    assertThat(taken.status()).as(taken.body()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("family.passkey_taken");
    String firstChallenge = first.post("/api/v1/family/passkeys/options", new JsonObject()).json()
        .getString("challenge");
    CareClient.Reply borrowed = second.post("/api/v1/family/passkeys",
        new SoftPasskey().registration(firstChallenge, origin, "localhost"));
    assertThat(borrowed.code()).isEqualTo("family.passkey_invalid");
    assertThat(second.get("/api/v1/family/passkeys").json().getJsonArray("passkeys")).isEmpty();
    String firstPasskey = first.get("/api/v1/family/passkeys").json().getJsonArray("passkeys").getJsonObject(0)
        .getString("id");
    CareClient.Reply removal = second.delete("/api/v1/family/passkeys/" + firstPasskey);
    assertThat(removal.status()).isEqualTo(404);
    assertThat(removal.code()).isEqualTo("family.not_found");
    assertThat(counts()).isEqualTo(before);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.passkey.register'"
        + " and actor = ? and detail like '%family.passkey_taken%'", "family:" + other.accountId())).isEqualTo(1);
  }

  @Test
  void a_recovery_through_the_team_ends_the_lost_phones_passkeys() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "pk-lost@example.jp");
    SoftPasskey passkey = new SoftPasskey();
    assertThat(register(bed.loggedIn(family, 0), passkey).status()).isEqualTo(201);
    assertThat(bed.doctor.post("/api/v1/patients/" + bed.patient + "/family/accounts/" + family.accountId()
        + "/recovery", new JsonObject()).status()).isEqualTo(200);
    CareClient.Reply refused = login(bed.anonymous(), passkey);
    assertThat(refused.code()).isEqualTo("family.passkey_unknown");
  }
}
