package jp.tsunagu.node.identity;

import static jp.tsunagu.node.identity.RegistrationFlowTest.body;
import static jp.tsunagu.node.identity.RegistrationFlowTest.code;
import static jp.tsunagu.node.identity.RegistrationFlowTest.find;
import static jp.tsunagu.node.identity.RegistrationFlowTest.subject;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts of no facility: the operator creates the first 行政 account through the admin API (a
 * fresh node has no user at all), municipal staff create further 行政 and 救急・消防 accounts on
 * their screens; each logs in with its own device certificate and initial password.
 */
class PrivilegedAccountsTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static JsonObject account(String role, String loginId) {
    return new JsonObject().put("role", role).put("loginId", loginId).put("email", loginId + "@city.ina.example.jp")
        .put("familyName", "春日").put("givenName", "陽子").put("familyKana", "カスガ").put("givenKana", "ヨウコ")
        .put("deviceType", "windows").put("remark", "高齢者福祉課の窓口端末");
  }

  /** Downloads the certificate and logs in with it and the password: the whole two-factor path. */
  private static IdentityClient logIn(String loginId, String password, String retrievalNumber,
      String certificatePassword) {
    HttpResponse<byte[]> p12 = new IdentityClient(fixture.node).postForBytes("/api/v1/certificates/download",
        new JsonObject().put("retrievalNumber", retrievalNumber.replace("-", "")).put("password", certificatePassword));
    assertThat(p12.statusCode()).isEqualTo(200);
    IdentityClient client = new IdentityClient(fixture.node, p12.body(), certificatePassword);
    HttpResponse<String> login = client.login(loginId, password);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return client;
  }

  private static int users() {
    return (int) (long) fixture.node.services().database().submitRead(UserStore::count).join();
  }

  @Test
  void the_operator_creates_the_first_municipal_staff_account_whose_credentials_arrive_by_mail() {
    HttpResponse<String> created = fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-koureisha")
        .encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject answer = new JsonObject(created.body());
    assertThat(answer.getBoolean("mailSent")).isTrue();
    assertThat(answer.getString("delivery")).isEqualTo("mail");
    assertThat(answer.containsKey("credentials")).as("mailed secrets are never shown").isFalse();
    assertThat(answer.getJsonObject("user").getString("profession")).isEqualTo("municipal_staff");

    List<MimeMessage> mails = fixture.mailsTo("ina-koureisha@city.ina.example.jp");
    assertThat(mails).hasSize(2);
    String account = body(mails.stream().filter(m -> subject(m).contains("アカウント登録")).findFirst().orElseThrow());
    String certificate = body(mails.stream().filter(m -> subject(m).contains("取得番号")).findFirst().orElseThrow());
    assertThat(account).contains("役割: 行政");
    IdentityClient staff = logIn("ina-koureisha", find(account, "初期パスワード: (\\S+)"),
        find(certificate, "取得番号: ([0-9-]+)"), find(certificate, "パスワード: (\\S+)"));
    JsonObject me = new JsonObject(staff.get("/api/v1/auth/me").body());
    assertThat(me.getJsonObject("user").getString("role")).isEqualTo("municipal_staff");
    assertThat(me.getBoolean("certificateLogin")).isTrue();
    assertThat(staff.get("/api/v1/municipal/registrations").statusCode()).isEqualTo(200);
    assertThat(fixture.audit("user.created")).anyMatch(r -> r.startsWith("operator user:" + answer
        .getJsonObject("user").getString("id")));
  }

  @Test
  void hand_delivery_shows_the_credentials_once_sends_no_mail_and_is_audited() {
    JsonObject created = new JsonObject(fixture.admin("/admin/v1/accounts", account("node_operator", "ina-joho")
        .put("delivery", "hand").encode()).body());
    JsonObject credentials = created.getJsonObject("credentials");
    assertThat(created.getString("delivery")).isEqualTo("hand");
    assertThat(fixture.mailsTo("ina-joho@city.ina.example.jp")).isEmpty();
    String userId = created.getJsonObject("user").getString("id");
    assertThat(fixture.audit("user.credentials_shown")).anyMatch(r -> r.startsWith("operator user:" + userId)
        && r.contains("hand_delivery_chosen"));
    IdentityClient operator = logIn("ina-joho", credentials.getString("initialPassword"),
        credentials.getString("retrievalNumber"), credentials.getString("certificatePassword"));
    assertThat(new JsonObject(operator.get("/api/v1/auth/me").body()).getJsonObject("user").getString("roleLabel"))
        .isEqualTo("ノード運用者");
  }

  @Test
  void when_the_smtp_server_is_down_the_account_stands_and_its_credentials_are_shown_instead() {
    fixture.stopMail();
    try {
      JsonObject created = new JsonObject(fixture.admin("/admin/v1/accounts",
          account("municipal_staff", "ina-kenkou-2").encode()).body());
      assertThat(created.getBoolean("mailSent")).isFalse();
      assertThat(created.getJsonObject("credentials").getString("retrievalNumber")).matches("\\d{4}(-\\d{4}){3}");
      assertThat(fixture.audit("user.credentials_shown")).anyMatch(r -> r.contains("mail_not_sent"));
    } finally {
      fixture.startMail();
    }
  }

  @Test
  void the_admin_api_refuses_bad_requests_with_their_codes_and_creates_nothing() {
    int before = users();
    fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-dup").encode());
    int after = users();
    assertThat(code(fixture.admin("/admin/v1/accounts", account("facility_admin", "ina-x1").encode())))
        .as("facility accounts come from registration").isEqualTo("validation.malformed");
    assertThat(code(fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-x2").put("loginId", "")
        .encode()))).isEqualTo("validation.required");
    assertThat(code(fixture.admin("/admin/v1/accounts", account("emergency_responder", "ina-x3")
        .put("profession", "doctor").encode()))).isEqualTo("validation.malformed");
    assertThat(code(fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-x4")
        .put("delivery", "fax").encode()))).isEqualTo("validation.malformed");
    assertThat(code(fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-x5")
        .put("familyName", "長".repeat(41)).encode()))).isEqualTo("validation.too_long");
    assertThat(code(fixture.admin("/admin/v1/accounts", account("municipal_staff", "ina-dup")
        .put("email", "other@city.ina.example.jp").encode()))).isEqualTo("registration.duplicate_login_id");
    assertThat(code(fixture.admin("/admin/v1/accounts", "{not json"))).isEqualTo("validation.malformed");
    assertThat(users()).isEqualTo(before + 1).isEqualTo(after);
  }

  @Test
  void municipal_staff_create_an_emergency_responder_on_their_screens_but_no_node_operator() {
    AccountSeeder.Created staff = fixture.person("ina-bousai", Role.MUNICIPAL_STAFF, Optional.empty());
    IdentityClient municipal = fixture.loggedIn(staff, "ina-bousai");
    HttpResponse<String> created = municipal.post("/api/v1/municipal/accounts",
        account("emergency_responder", "ina-kyukyu-01").put("profession", "ems_crew"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getJsonObject("user").getString("roleLabel")).isEqualTo("救急・消防");
    assertThat(fixture.mailsTo("ina-kyukyu-01@city.ina.example.jp")).hasSize(2);
    assertThat(fixture.audit("user.created")).anyMatch(r -> r.startsWith(staff.userId() + " user:"));
    assertThat(municipal.get("/api/v1/municipal/accounts").body()).contains("ina-kyukyu-01", "ina-bousai");
    assertThat(code(municipal.post("/api/v1/municipal/accounts", account("node_operator", "ina-x6"))))
        .isEqualTo("validation.malformed");
    String facility = fixture.seeder.createFacility("伊那南クリニック", "202096", "長野県", "clinic");
    AccountSeeder.Created admin = fixture.person("minami-kanri", Role.FACILITY_ADMIN, Optional.of(facility));
    assertThat(code(fixture.loggedIn(admin, "minami-kanri").post("/api/v1/municipal/accounts",
        account("municipal_staff", "ina-x7")))).isEqualTo("auth.forbidden");
  }

  @Test
  void credentials_handed_over_name_the_configured_web_address_not_the_host_the_request_named() {
    AccountSeeder.Created staff = fixture.person("ina-jinji", Role.MUNICIPAL_STAFF, Optional.empty());
    HttpResponse<String> created = fixture.loggedIn(staff, "ina-jinji").post("/api/v1/municipal/accounts",
        account("municipal_staff", "ina-kaigo-02").put("delivery", "hand"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject credentials = new JsonObject(created.body()).getJsonObject("credentials");
    assertThat(credentials.getString("certificateUrl")).isEqualTo(fixture.node.webUrl() + "/#/certificate");
    assertThat(credentials.getString("loginUrl")).isEqualTo(fixture.node.webUrl() + "/#/login");
  }
}
