package jp.tsunagu.node.family;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds of the passkey door nobody needs a session for, over the real API of a node of its own
 * (the rate is counted per address, and every client here comes from loopback, so the rate's test
 * runs last): a known passkey's failed answers lock its account like wrong passwords; the login
 * options are refused beyond an address's and the node's outstanding challenges and beyond the rate,
 * each with {@code family.passkey_rate_limited}, audited, nothing stored; a logged-in account's
 * registration options are bounded per account the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FamilyPasskeyDoorTest {

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

  private CareClient.Reply options(CareClient client) {
    return client.post("/api/v1/family/auth/passkey/options", new JsonObject());
  }

  private CareClient.Reply answer(CareClient client, SoftPasskey passkey) {
    CareClient.Reply options = options(client);
    assertThat(options.status()).as(options.body()).isEqualTo(200);
    return client.post("/api/v1/family/auth/passkey", passkey.assertion(options.json().getString("challenge"),
        origin, "localhost", true));
  }

  private long challenges() {
    return TestSql.count(bed.bed.node, "select count(*) from family_passkey_challenges");
  }

  private long doorRefusals(String bound) {
    return TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.passkey.options'"
        + " and outcome <> 'success' and detail like ?", "%\"bound\":\"" + bound + "\"%");
  }

  /** Unexpired login challenges written straight into the node's database, as if handed to {@code address}. */
  private void outstanding(int howMany, String address) {
    String expires = Instant.now().plusSeconds(240).toString();
    bed.bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("insert into family_passkey_challenges (challenge_hash,"
          + " purpose, account_id, expires_at, client_address) values (?, 'login', null, ?, ?)")) {
        for (int i = 0; i < howMany; i++) {
          s.setString(1, "filler-" + address + "-" + i);
          s.setString(2, expires);
          s.setString(3, address);
          s.executeUpdate();
        }
      }
      return null;
    }).join();
  }

  private void forgetFillers() {
    bed.bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "delete from family_passkey_challenges where challenge_hash like 'filler-%'")) {
        s.executeUpdate();
      }
      return null;
    }).join();
  }

  private long registrationRefusals(FamilyTestbed.Family family, String bound) {
    return TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.passkey.register_options'"
        + " and actor = ? and outcome <> 'success' and detail like ?", "family:" + family.accountId(),
        "%\"bound\":\"" + bound + "\"%");
  }

  private CareClient.Reply registrationOptions(CareClient session) {
    return session.post("/api/v1/family/passkeys/options", new JsonObject());
  }

  @Test
  @Order(0)
  void an_account_holding_its_most_unexpired_registration_challenges_is_refused_and_another_account_is_not() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "door-register-many@example.jp");
    CareClient session = bed.loggedIn(family, 0);
    for (int i = 0; i < PasskeyDoor.OUTSTANDING_PER_ACCOUNT; i++) {
      assertThat(registrationOptions(session).status()).isEqualTo(200);
    }
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);
    CareClient.Reply refused = registrationOptions(session);
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("family.passkey_rate_limited");
    assertThat(refused.json().containsKey("challenge")).isFalse();
    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_passkey_challenges where account_id = ?",
        family.accountId())).isEqualTo(PasskeyDoor.OUTSTANDING_PER_ACCOUNT);
    assertThat(registrationRefusals(family, "account")).isEqualTo(1);
    long minute = System.currentTimeMillis() / 60_000;
    CareClient.Reply again = registrationOptions(session);
    assertThat(again.code()).isEqualTo("family.passkey_rate_limited");
    if (System.currentTimeMillis() / 60_000 == minute) {
      // The same minute: refused again, nothing stored, and not audited a second time.
      assertThat(registrationRefusals(family, "account")).isEqualTo(1);
      assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
    }

    FamilyTestbed.Family other = bed.invited(bed.doctor, bed.patient, "door-register-other@example.jp");
    assertThat(registrationOptions(bed.loggedIn(other, 0)).status()).isEqualTo(200);
  }

  /** Challenges used up between calls (as registrations would), so only the per-minute rate can refuse. */
  @Test
  @Order(0)
  void an_account_asking_for_registration_options_faster_than_the_rate_is_refused_and_audited_once_a_minute() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "door-register-fast@example.jp");
    CareClient session = bed.loggedIn(family, 0);
    int calls = 0;
    CareClient.Reply reply;
    do {
      reply = registrationOptions(session);
      calls++;
      forgetRegistrationChallenges(family);
    } while (reply.status() == 200 && calls <= 2 * PasskeyDoor.REGISTRATIONS_PER_MINUTE + 1);
    assertThat(reply.status()).as(reply.body()).isEqualTo(429);
    assertThat(reply.code()).isEqualTo("family.passkey_rate_limited");
    assertThat(registrationRefusals(family, "rate")).isEqualTo(1);
    long minute = System.currentTimeMillis() / 60_000;
    CareClient.Reply again = registrationOptions(session);
    if (System.currentTimeMillis() / 60_000 == minute) {
      assertThat(again.code()).isEqualTo("family.passkey_rate_limited");
      assertThat(TestSql.count(bed.bed.node, "select count(*) from family_passkey_challenges where account_id = ?",
          family.accountId())).isZero();
      assertThat(registrationRefusals(family, "rate")).isEqualTo(1);
    }
  }

  private void forgetRegistrationChallenges(FamilyTestbed.Family family) {
    bed.bed.node.services().database().submitWrite(c -> {
      try (PreparedStatement s = c.prepareStatement("delete from family_passkey_challenges where account_id = ?")) {
        s.setString(1, family.accountId());
        s.executeUpdate();
      }
      return null;
    }).join();
  }

  @Test
  @Order(1)
  void five_failed_answers_for_a_known_passkey_lock_its_account_like_wrong_passwords() {
    FamilyTestbed.Family family = bed.invited(bed.doctor, bed.patient, "door-lock@example.jp");
    CareClient session = bed.loggedIn(family, 0);
    SoftPasskey passkey = new SoftPasskey();
    JsonObject registration = session.post("/api/v1/family/passkeys/options", new JsonObject()).json();
    assertThat(session.post("/api/v1/family/passkeys", passkey.registration(registration.getString("challenge"),
        origin, "localhost")).status()).isEqualTo(201);

    CareClient thief = bed.anonymous();
    SoftPasskey forged = new SoftPasskey(passkey.credentialId);
    for (int i = 0; i < 5; i++) {
      CareClient.Reply refused = answer(thief, forged);
      assertThat(refused.status()).as(refused.body()).isEqualTo(401);
      assertThat(refused.code()).isEqualTo("family.passkey_invalid");
    }
    // The real passkey, and the password with a fresh code, now meet the lock.
    CareClient.Reply owner = answer(bed.anonymous(), passkey);
    assertThat(owner.status()).as(owner.body()).isEqualTo(429);
    assertThat(owner.code()).isEqualTo("family.locked");
    assertThat(bed.login(bed.anonymous(), family, FamilyTestbed.code(family, 1)).code()).isEqualTo("family.locked");
    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_accounts where id = ?"
        + " and locked_until is not null", family.accountId())).isEqualTo(1);
    String actor = "family:" + family.accountId();
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and actor = ? and outcome <> 'success' and detail like '%\"method\":\"passkey\"%'", actor)).isEqualTo(5);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from audit_log where action = 'family.login'"
        + " and actor = ? and detail like '%\"locked\":true%'", actor)).isEqualTo(1);
    assertThat(TestSql.count(bed.bed.node, "select count(*) from family_sessions where account_id = ?",
        family.accountId())).isEqualTo(1);
  }

  @Test
  @Order(2)
  void the_login_options_are_refused_when_the_address_holds_its_most_outstanding_challenges() {
    CareClient caller = bed.anonymous();
    assertThat(options(caller).status()).isEqualTo(200);
    String address = bed.bed.node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select client_address from family_passkey_challenges"
          + " where client_address is not null limit 1"); var rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }).join();
    long mine = TestSql.count(bed.bed.node, "select count(*) from family_passkey_challenges where client_address = ?",
        address);
    outstanding((int) (PasskeyDoor.OUTSTANDING_PER_ADDRESS - mine), address);
    Map<String, Long> before = TestSql.rowCounts(bed.bed.node);

    CareClient.Reply refused = options(caller);
    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("family.passkey_rate_limited");
    assertThat(refused.json().containsKey("challenge")).isFalse();
    assertThat(TestSql.rowCounts(bed.bed.node)).isEqualTo(before);
    assertThat(doorRefusals("address")).isEqualTo(1);
    forgetFillers();
    assertThat(options(caller).status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void the_login_options_are_refused_when_the_node_holds_its_most_outstanding_challenges_from_many_addresses() {
    for (int i = 0; i < PasskeyDoor.OUTSTANDING_ON_NODE / 50; i++) {
      outstanding(50, "192.0.2." + i);
    }
    long before = challenges();
    CareClient.Reply refused = options(bed.anonymous());
    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("family.passkey_rate_limited");
    assertThat(challenges()).isEqualTo(before);
    assertThat(doorRefusals("node")).isEqualTo(1);
    forgetFillers();
    assertThat(options(bed.anonymous()).status()).isEqualTo(200);
  }

  /**
   * Counted per clock minute: the first refusal comes after at most {@code PER_MINUTE} calls of this
   * minute (twice that when the test runs across a minute's turn), and only the first of a minute is
   * audited.
   */
  @Test
  @Order(4)
  void an_address_asking_for_login_options_faster_than_the_rate_is_refused_and_audited_once_a_minute() {
    CareClient caller = bed.anonymous();
    int calls = 0;
    CareClient.Reply reply;
    do {
      reply = options(caller);
      calls++;
    } while (reply.status() == 200 && calls <= 2 * PasskeyDoor.PER_MINUTE + 1);
    assertThat(reply.status()).as(reply.body()).isEqualTo(429);
    assertThat(reply.code()).isEqualTo("family.passkey_rate_limited");
    long minute = System.currentTimeMillis() / 60_000;
    long stored = challenges();
    assertThat(doorRefusals("rate")).isEqualTo(1);
    CareClient.Reply again = options(caller);
    if (System.currentTimeMillis() / 60_000 == minute) {
      // Still the same minute: refused again, nothing stored, and not audited a second time.
      assertThat(again.code()).isEqualTo("family.passkey_rate_limited");
      assertThat(challenges()).isEqualTo(stored);
      assertThat(doorRefusals("rate")).isEqualTo(1);
    }
  }
}
