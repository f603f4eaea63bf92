package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 施設登録申請 to first login, over real TLS with real device certificates and a real SMTP server. */
class RegistrationFlowTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static AccountSeeder.Created staff;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    staff = fixture.person("ina-kenkou", Role.MUNICIPAL_STAFF, Optional.empty());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static JsonObject form(String loginId, String email) {
    return new JsonObject().put("facilityName", "伊那中央訪問看護ステーション").put("prefecture", "長野県")
        .put("municipalityCode", "202096").put("category", "home_nursing").put("familyName", "春日")
        .put("givenName", "美咲").put("familyKana", "カスガ").put("givenKana", "ミサキ").put("profession", "nurse")
        .put("email", email).put("emailConfirm", email).put("loginId", loginId)
        .put("password", "Harukaze-2025-kango").put("deviceType", "windows");
  }

  @Test
  void a_facility_applies_staff_approve_three_mails_go_out_and_the_administrator_logs_in_with_the_certificate()
      throws Exception {
    IdentityClient applicant = new IdentityClient(fixture.node);
    JsonObject form = form("kasuga-misaki", "kasuga@ina-kango.example.jp");
    HttpResponse<String> confirm = applicant.post("/api/v1/registration/confirm", form);
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(confirm.body()).getString("categoryLabel")).isEqualTo("訪問看護ステーション");
    assertThat(confirm.body()).doesNotContain("Harukaze");
    HttpResponse<String> submitted = applicant.post("/api/v1/registrations", form);
    assertThat(submitted.statusCode()).isEqualTo(201);
    String applicationId = new JsonObject(submitted.body()).getString("id");

    // A second application with the same login id or address is taken too (the applicant is not told
    // whether either is in use); staff see the conflict beside each and the first approved wins.
    String sameLogin = new JsonObject(applicant.post("/api/v1/registrations",
        form("kasuga-misaki", "other@ina-kango.example.jp")).body()).getString("id");
    String sameEmail = new JsonObject(applicant.post("/api/v1/registrations",
        form("kasuga-2", "kasuga@ina-kango.example.jp")).body()).getString("id");

    IdentityClient municipal = fixture.loggedIn(staff, "ina-kenkou");
    String pending = municipal.get("/api/v1/municipal/registrations").body();
    assertThat(pending).contains(applicationId, "伊那中央訪問看護ステーション", sameLogin, sameEmail);
    assertThat(new JsonObject(pending).getJsonArray("registrations").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals(applicationId)).findFirst().orElseThrow().getJsonArray("conflicts"))
        .containsExactlyInAnyOrder("loginId", "email");
    HttpResponse<String> approved = municipal.post("/api/v1/municipal/registrations/" + applicationId + "/approve",
        new JsonObject());
    assertThat(approved.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(approved.body()).getBoolean("mailSent")).isTrue();
    assertThat(code(municipal.post("/api/v1/municipal/registrations/" + sameLogin + "/approve", new JsonObject())))
        .isEqualTo("registration.duplicate_login_id");
    assertThat(code(municipal.post("/api/v1/municipal/registrations/" + sameEmail + "/approve", new JsonObject())))
        .isEqualTo("registration.duplicate_email");

    List<MimeMessage> mails = Arrays.stream(fixture.mail.getReceivedMessages())
        .filter(m -> recipient(m).equals("kasuga@ina-kango.example.jp")).toList();
    assertThat(mails).hasSize(3);
    assertThat(mails.stream().map(RegistrationFlowTest::subject).toList()).anyMatch(s -> s.contains("承認"))
        .anyMatch(s -> s.contains("取得番号")).anyMatch(s -> s.contains("ログインID"));
    String certificateMail = mails.stream().filter(m -> subject(m).contains("取得番号")).map(RegistrationFlowTest::body)
        .findFirst().orElseThrow();
    String number = find(certificateMail, "取得番号: ([0-9-]+)").replace("-", "");
    String password = find(certificateMail, "パスワード: (\\S+)");

    HttpResponse<byte[]> download = applicant.postForBytes("/api/v1/certificates/download",
        new JsonObject().put("retrievalNumber", number).put("password", password));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("application/x-pkcs12");
    KeyStore p12 = KeyStore.getInstance("PKCS12");
    p12.load(new ByteArrayInputStream(download.body()), password.toCharArray());
    assertThat(applicant.postForBytes("/api/v1/certificates/download",
        new JsonObject().put("retrievalNumber", number).put("password", password)).statusCode())
        .as("the certificate downloads once only").isEqualTo(400);

    assertThat(code(new IdentityClient(fixture.node).login("kasuga-misaki", "Harukaze-2025-kango")))
        .as("a password alone never suffices").isEqualTo("auth.certificate_required");
    IdentityClient admin = new IdentityClient(fixture.node, download.body(), password);
    assertThat(admin.login("kasuga-misaki", "Harukaze-2025-kango").statusCode()).isEqualTo(200);
    JsonObject me = new JsonObject(admin.get("/api/v1/auth/me").body()).getJsonObject("user");
    assertThat(me.getString("role")).isEqualTo("facility_admin");
    assertThat(me.getString("facilityName")).isEqualTo("伊那中央訪問看護ステーション");
    for (String loser : List.of(sameLogin, sameEmail)) {
      assertThat(municipal.post("/api/v1/municipal/registrations/" + loser + "/reject",
          new JsonObject().put("reason", "同じログインIDまたはメールアドレスの申請が先に承認されました。")).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void a_rejected_application_gets_a_mail_with_the_reason_and_frees_its_login_id() throws Exception {
    IdentityClient applicant = new IdentityClient(fixture.node);
    String id = new JsonObject(applicant.post("/api/v1/registrations", form("takato-yakkyoku", "takato@example.jp"))
        .body()).getString("id");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-kenkou");
    assertThat(municipal.post("/api/v1/municipal/registrations/" + id + "/reject",
        new JsonObject().put("reason", "所在地が対象地域外です。")).statusCode()).isEqualTo(200);
    assertThat(Arrays.stream(fixture.mail.getReceivedMessages()).filter(m -> recipient(m).equals("takato@example.jp"))
        .map(RegistrationFlowTest::body).toList()).anyMatch(b -> b.contains("所在地が対象地域外です。"));
    assertThat(municipal.post("/api/v1/municipal/registrations/" + id + "/approve", new JsonObject()).statusCode())
        .as("a decided application cannot be decided again").isEqualTo(404);
    assertThat(applicant.post("/api/v1/registration/confirm", form("takato-yakkyoku", "takato@example.jp"))
        .statusCode()).isEqualTo(200);
  }

  static String code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("code");
  }

  static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + regex + " in " + text);
    }
    return m.group(1);
  }

  static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String body(MimeMessage m) {
    try {
      return m.getContent().toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
