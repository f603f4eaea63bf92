package jp.tsunagu.node.meetings;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;
import jp.tsunagu.node.testing.MovableClock;
import jp.tsunagu.node.testing.TestNodes;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;

/**
 * A real 伊那市 node mailing through a real SMTP server (GreenMail): a patient's team of a doctor (who
 * registered the patient), a nurse and a care manager, a physiotherapist of the same facility who is
 * not on the team, and a group of the doctor and the nurse.
 */
final class MeetingsNode implements AutoCloseable {

  static final String PASSWORD = "Ina-kaigi-2026!";
  static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  final GreenMail mail;
  /** The node's clock: a test moves it to a meeting's start to record its minutes. */
  final MovableClock clock = new MovableClock();
  final TsunaguNode node;
  final MeetingsClient doctor;
  final MeetingsClient nurse;
  final MeetingsClient careManager;
  final MeetingsClient outsider;
  final String doctorId;
  final String nurseId;
  final String careManagerId;
  final String outsiderId;
  final String patientId;
  final String groupId;

  MeetingsNode(Path dir) {
    this(dir, new JsonObject());
  }

  MeetingsNode(Path dir, JsonObject meetingsConfig) {
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    JsonObject json = TestNodes.json("ina").put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", mail.getSmtp().getPort()).put("startTls", "disabled").put("from", "tsunagu@ina.example.jp"));
    if (!meetingsConfig.isEmpty()) {
      json.put("meetings", meetingsConfig);
    }
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir).asDemo(), clock);
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那中央クリニック", "202096", "長野県", "診療所");
    doctorId = account(seeder, "ina-ishi", "doctor", "医師", facility);
    nurseId = account(seeder, "ina-kango", "nurse", "看護", facility);
    careManagerId = account(seeder, "ina-cm", "care_manager", "介護", facility);
    outsiderId = account(seeder, "ina-pt", "pt", "理学", facility);
    doctor = new MeetingsClient(node).login("ina-ishi", PASSWORD);
    nurse = new MeetingsClient(node).login("ina-kango", PASSWORD);
    careManager = new MeetingsClient(node).login("ina-cm", PASSWORD);
    outsider = new MeetingsClient(node).login("ina-pt", PASSWORD);
    patientId = created(doctor.postJson("/api/v1/patients", new JsonObject().put("familyName", "春日")
        .put("givenName", "トメ").put("familyKana", "カスガ").put("givenKana", "トメ").put("birthDate", "1931-05-12")
        .put("sex", "female").put("address", "伊那市西箕輪3000-1").put("municipalityCode", "202096").put("phone", "")
        .put("familyDoctor", "").put("careLevel", "").put("emergencyContacts", "").put("acpNotes", "")
        .put("remarks", "").put("teamRole", "主治医")));
    join("patients", patientId, nurse, nurseId, "訪問看護");
    join("patients", patientId, careManager, careManagerId, "ケアマネジャー");
    groupId = created(doctor.postJson("/api/v1/groups", new JsonObject().put("name", "西箕輪地区 多職種勉強会")
        .put("description", "月1回の勉強会")));
    join("groups", groupId, nurse, nurseId, "メンバー");
  }

  private static String account(AccountSeeder seeder, String loginId, String profession, String given,
      String facility) {
    return seeder.createUser(new AccountSeeder.Person(loginId, loginId + "@ina.example.jp", "伊那", given, "イナ",
        "タロウ", profession, Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows").userId();
  }

  private static String created(HttpResponse<String> response) {
    if (response.statusCode() != 201) {
      throw new AssertionError(response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getString("id");
  }

  private void join(String kind, String boardId, MeetingsClient who, String userId, String role) {
    HttpResponse<String> invited = doctor.postJson("/api/v1/" + kind + "/" + boardId + "/team/invitations",
        new JsonObject().put("userId", userId).put("teamRole", role));
    if (invited.statusCode() / 100 != 2) {
      throw new AssertionError("invitation: " + invited.body());
    }
    HttpResponse<String> accepted = who.postJson("/api/v1/invitations/" + boardId + "/accept", new JsonObject());
    if (accepted.statusCode() / 100 != 2) {
      throw new AssertionError("accept: " + accepted.body());
    }
  }

  /** A meeting form for the patient's team starting {@code hoursAhead} hours from now (Japan time). */
  JsonObject meeting(String title, long hoursAhead) {
    return meetingAt(title, LocalDateTime.ofInstant(clock.instant(), JAPAN).plusHours(hoursAhead));
  }

  /** A meeting form for the patient's team starting at a time in Japan. */
  JsonObject meetingAt(String title, LocalDateTime at) {
    LocalDateTime start = at.withSecond(0).withNano(0);
    return new JsonObject().put("boardId", patientId).put("kind", "service_meeting").put("title", title)
        .put("date", start.toLocalDate().toString()).put("time", start.toLocalTime().toString().substring(0, 5))
        .put("durationMinutes", 60).put("online", true).put("videoProvider", "jitsi").put("place", "")
        .put("agenda", "退院後の訪問回数").put("participants", new JsonArray().add(nurseId).add(careManagerId))
        .put("familyContacts", new JsonArray().add(new JsonObject().put("name", "春日 一郎")
            .put("email", "ichiro@family.example.jp")));
  }

  JsonObject schedule(JsonObject form) {
    HttpResponse<String> made = doctor.postJson("/api/v1/meetings", form);
    if (made.statusCode() != 201) {
      throw new AssertionError(made.body());
    }
    return new JsonObject(made.body());
  }

  MeetingsFeature feature() {
    return node.feature(MeetingsFeature.class);
  }

  /** The mails the SMTP server received for one address, in order. */
  List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(address);
      } catch (jakarta.mail.MessagingException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  /** The iCalendar files attached to a mail, parsed back. */
  static List<Calendar> calendars(MimeMessage message) throws Exception {
    List<Calendar> found = new ArrayList<>();
    Multipart parts = (Multipart) message.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.getContentType().toLowerCase().startsWith("text/calendar")) {
        String text = new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        found.add(new CalendarBuilder().build(new StringReader(text)));
      }
    }
    return found;
  }

  /** Moves the node's clock to the meeting's start. */
  void startOf(JsonObject meeting) {
    clock.moveTo(instant(meeting));
  }

  static Instant instant(JsonObject meeting) {
    return Instant.parse(meeting.getString("startsAt"));
  }

  @Override
  public void close() {
    node.close();
    mail.stop();
  }
}
