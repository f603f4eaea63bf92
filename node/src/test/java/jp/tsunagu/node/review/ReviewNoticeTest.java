package jp.tsunagu.node.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.TestSql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewers' notice when the materials are released and the reminder before the 事前審査 deadline,
 * through a real SMTP server: every member of the panel on this node is told once, the reminder goes only
 * to those who have not given an opinion on every case, and no mail carries case data.
 */
class ReviewNoticeTest {

  @TempDir
  Path dir;
  GreenMail mail;
  ReviewBed bed;

  @BeforeEach
  void start() {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    bed = new ReviewBed(dir, new JsonObject().put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", mail.getSmtp().getPort()).put("startTls", "disabled").put("from", "tsunagu@ina.example.jp")));
  }

  @AfterEach
  void stop() {
    bed.close();
    mail.stop();
  }

  @Test
  void the_release_notifies_every_member_once_and_the_reminder_goes_to_those_who_have_not_submitted()
      throws Exception {
    String session = bed.session(Duration.ofHours(20)); // the deadline is within a day: reminders are due
    String first = bed.addCase(session, "N-001", "care_1");
    String second = bed.addCase(session, "N-002", "care_2");
    JsonObject shown = ReviewBed.ok(bed.secretariat.get("/api/v1/review/sessions/" + session));
    String video = shown.getJsonObject("session", shown).getString("videoUrl");
    bed.release(session);
    assertThat(mail.waitForIncomingEmail(20_000, 5)).isTrue();

    for (CareClient member : bed.members) {
      List<MimeMessage> got = mailsTo(member.userId);
      assertThat(got).hasSize(1);
      String body = text(got.get(0));
      assertThat(got.get(0).getSubject()).contains("審査会のお知らせ").contains("第3合議体");
      assertThat(body).contains("ビデオ会議: " + video).contains("事前審査の締切").contains("#/review-my")
          .doesNotContain(ReviewBed.APPLICANT).doesNotContain("N-001").doesNotContain("0001234567");
    }
    assertThat(mailsTo(bed.outsider.userId)).isEmpty();
    assertThat(TestSql.count(bed.node, "select count(*) from audit_log where action = 'review.notice_mailed'"))
        .isEqualTo(5);

    // The chair has given both opinions, the deputy one: the reminder goes to the deputy and the other three.
    for (String caseId : List.of(first, second)) {
      ReviewBed.ok(bed.chair().put("/api/v1/review/my/cases/" + caseId + "/opinion", new JsonObject()
          .put("agrees", true).put("months", 12)));
    }
    ReviewBed.ok(bed.members.get(1).put("/api/v1/review/my/cases/" + first + "/opinion", new JsonObject()
        .put("agrees", true).put("months", 12)));
    assertThat(send()).isEqualTo(4);
    assertThat(mailsTo(bed.chair().userId)).hasSize(1);
    for (CareClient member : bed.members.subList(1, 5)) {
      List<MimeMessage> got = mailsTo(member.userId);
      assertThat(got).hasSize(2);
      assertThat(got.get(1).getSubject()).contains("事前審査の締切が近づいています");
    }
    // Nobody is told twice.
    assertThat(send()).isZero();
    assertThat(mail.getReceivedMessages()).hasSize(9);
  }

  @Test
  void a_session_whose_deadline_is_days_away_gets_the_notice_but_no_reminder_yet() throws Exception {
    String session = bed.session(Duration.ofDays(3).minusHours(30));
    bed.addCase(session, "N-101", "care_1");
    bed.release(session);
    assertThat(mail.waitForIncomingEmail(20_000, 5)).isTrue();
    assertThat(send()).isZero();
    assertThat(mail.getReceivedMessages()).hasSize(5);
  }

  private int send() throws Exception {
    return bed.node.feature(ReviewFeature.class).sendNotices(bed.node.vertx(), Instant.now()).toCompletionStage()
        .toCompletableFuture().get();
  }

  private List<MimeMessage> mailsTo(String userId) {
    String address = TestSql.count(bed.node, "select count(*) from users where id = ?", userId) == 1
        ? loginOf(userId) + "@ina.example.jp" : "";
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(address);
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private String loginOf(String userId) {
    return bed.node.services().database().submitRead(c -> {
      try (java.sql.PreparedStatement s = c.prepareStatement("select login_id from users where id = ?")) {
        s.setString(1, userId);
        try (java.sql.ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }).join();
  }

  private static String text(MimeMessage message) throws Exception {
    Object content = message.getContent();
    if (content instanceof Multipart parts) {
      return parts.getBodyPart(0).getContent().toString();
    }
    return content.toString();
  }
}
