package jp.tsunagu.node.identity;

import static jp.tsunagu.node.identity.RegistrationFlowTest.body;
import static jp.tsunagu.node.identity.RegistrationFlowTest.code;
import static jp.tsunagu.node.identity.RegistrationFlowTest.find;
import static jp.tsunagu.node.identity.RegistrationFlowTest.form;
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
 * Decisions taken while the SMTP server is down (GreenMail stopped): they stand, are listed as
 * "mail failed", and municipal staff send their mails again once the server is back (GreenMail
 * started again on the same port).
 */
class MailResendTest {

  @TempDir
  static Path dir;

  static IdentityFixture fixture;
  static AccountSeeder.Created staff;

  @BeforeAll
  static void start() {
    fixture = new IdentityFixture(dir, false);
    staff = fixture.person("ina-kaigo", Role.MUNICIPAL_STAFF, Optional.empty());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String apply(String loginId, String email) {
    HttpResponse<String> submitted = new IdentityClient(fixture.node).post("/api/v1/registrations",
        form(loginId, email));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    return new JsonObject(submitted.body()).getString("id");
  }

  private static String mailFailures(IdentityClient municipal) {
    return municipal.get("/api/v1/municipal/registrations?status=mail_failed").body();
  }

  @Test
  void decisions_during_an_smtp_outage_stand_and_their_mails_are_sent_again_once_mail_works() throws Exception {
    String approvedId = apply("ochiai-kanri", "ochiai@ina-kango.example.jp");
    String rejectedId = apply("kurokawa-kanri", "kurokawa@example.jp");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-kaigo");

    fixture.stopMail();
    HttpResponse<String> approved = municipal.post("/api/v1/municipal/registrations/" + approvedId + "/approve",
        new JsonObject());
    HttpResponse<String> rejected = municipal.post("/api/v1/municipal/registrations/" + rejectedId + "/reject",
        new JsonObject().put("reason", "申請内容に不備があります。"));
    assertThat(approved.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(approved.body()).getBoolean("mailSent")).isFalse();
    assertThat(new JsonObject(rejected.body()).getBoolean("mailSent")).isFalse();
    assertThat(mailFailures(municipal)).contains(approvedId, rejectedId);
    assertThat(municipal.post("/api/v1/municipal/registrations/" + approvedId + "/approve", new JsonObject())
        .statusCode()).as("the approval stands and is not taken twice").isEqualTo(404);
    assertThat(code(new IdentityClient(fixture.node).login("ochiai-kanri", "Harukaze-2025-kango")))
        .as("the administrator exists but has no certificate yet").isEqualTo("auth.certificate_required");

    fixture.startMail();
    JsonObject resent = new JsonObject(municipal.post("/api/v1/municipal/registrations/" + approvedId
        + "/resend-mail", new JsonObject()).body());
    assertThat(resent.getBoolean("mailSent")).isTrue();
    assertThat(resent.getBoolean("certificateReplaced")).isTrue();
    assertThat(new JsonObject(municipal.post("/api/v1/municipal/registrations/" + rejectedId + "/resend-mail",
        new JsonObject()).body()).getBoolean("mailSent")).isTrue();
    assertThat(mailFailures(municipal)).doesNotContain(approvedId).doesNotContain(rejectedId);
    assertThat(fixture.mailsTo("kurokawa@example.jp")).singleElement()
        .satisfies(m -> assertThat(body(m)).contains("申請内容に不備があります。"));

    List<MimeMessage> mails = fixture.mailsTo("ochiai@ina-kango.example.jp");
    assertThat(mails.stream().map(RegistrationFlowTest::subject).toList()).hasSize(3)
        .anyMatch(s -> s.contains("承認")).anyMatch(s -> s.contains("取得番号")).anyMatch(s -> s.contains("ログインID"));
    String certificateMail = body(mails.stream().filter(m -> subject(m).contains("取得番号")).findFirst().orElseThrow());
    String number = find(certificateMail, "取得番号: ([0-9-]+)").replace("-", "");
    String password = find(certificateMail, "パスワード: (\\S+)");
    IdentityClient applicant = new IdentityClient(fixture.node);
    HttpResponse<byte[]> download = applicant.postForBytes("/api/v1/certificates/download",
        new JsonObject().put("retrievalNumber", number).put("password", password));
    assertThat(download.statusCode()).isEqualTo(200);
    IdentityClient admin = new IdentityClient(fixture.node, download.body(), password);
    assertThat(admin.login("ochiai-kanri", "Harukaze-2025-kango").statusCode()).isEqualTo(200);
    assertThat(admin.get("/api/v1/account/certificates").body())
        .as("the undelivered first certificate was revoked, the resent one is in use")
        .contains("\"state\":\"revoked\"").contains("\"state\":\"active\"");

    JsonObject again = new JsonObject(municipal.post("/api/v1/municipal/registrations/" + approvedId
        + "/resend-mail", new JsonObject()).body());
    assertThat(again.getBoolean("certificateReplaced")).as("a downloaded certificate is never replaced").isFalse();
    assertThat(fixture.mailsTo("ochiai@ina-kango.example.jp")).hasSize(5);
    assertThat(admin.get("/api/v1/auth/me").statusCode()).isEqualTo(200);
    assertThat(fixture.audit("registration.mail_resent")).hasSize(3).allMatch(r -> r.startsWith(staff.userId()));
  }

  @Test
  void resending_a_pending_or_unknown_application_is_a_404() {
    String pending = apply("minowa-kanri", "minowa-kanri@example.jp");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-kaigo");
    assertThat(code(municipal.post("/api/v1/municipal/registrations/" + pending + "/resend-mail", new JsonObject())))
        .isEqualTo("registration.not_found");
    assertThat(code(municipal.post("/api/v1/municipal/registrations/no-such-id/resend-mail", new JsonObject())))
        .isEqualTo("registration.not_found");
  }

  @Test
  void a_resend_that_fails_again_hands_over_a_new_certificate_once_and_the_first_number_no_longer_works() {
    String applicationId = apply("nishiharuchika-kanri", "nishiharuchika@example.jp");
    IdentityClient municipal = fixture.loggedIn(staff, "ina-kaigo");
    int shownBefore = fixture.audit("user.credentials_shown").size();
    fixture.stopMail();
    try {
      JsonObject approved = new JsonObject(municipal.post("/api/v1/municipal/registrations/" + applicationId
          + "/approve", new JsonObject()).body());
      assertThat(approved.getBoolean("mailSent")).isFalse();
      JsonObject first = approved.getJsonObject("credentials");
      assertThat(first.getString("loginId")).isEqualTo("nishiharuchika-kanri");
      assertThat(first.getString("retrievalNumber")).matches("[0-9]{4}(-[0-9]{4}){3}");

      JsonObject resent = new JsonObject(municipal.post("/api/v1/municipal/registrations/" + applicationId
          + "/resend-mail", new JsonObject()).body());
      assertThat(resent.getBoolean("mailSent")).isFalse();
      assertThat(resent.getBoolean("certificateReplaced")).isTrue();
      JsonObject second = resent.getJsonObject("credentials");
      assertThat(second.getString("retrievalNumber")).isNotEqualTo(first.getString("retrievalNumber"));
      assertThat(municipal.get("/api/v1/municipal/registrations?status=mail_failed").body())
          .doesNotContain(first.getString("certificatePassword")).doesNotContain(second.getString("certificatePassword"));

      IdentityClient applicant = new IdentityClient(fixture.node);
      assertThat(applicant.postForBytes("/api/v1/certificates/download", new JsonObject()
          .put("retrievalNumber", first.getString("retrievalNumber"))
          .put("password", first.getString("certificatePassword"))).statusCode()).isEqualTo(400);
      assertThat(applicant.postForBytes("/api/v1/certificates/download", new JsonObject()
          .put("retrievalNumber", second.getString("retrievalNumber"))
          .put("password", second.getString("certificatePassword"))).statusCode()).isEqualTo(200);
      assertThat(fixture.audit("user.credentials_shown")).as("once per answer that showed them")
          .hasSize(shownBefore + 2);
    } finally {
      fixture.startMail();
    }
  }
}
