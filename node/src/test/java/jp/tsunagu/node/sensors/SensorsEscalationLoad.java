package jp.tsunagu.node.sensors;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;

/**
 * The escalation timer's path in the benchmark's alert figure, while the ingest runs at the real rate:
 * residents who are patients with a care manager in their team, enrolled by 行政 through the API, each
 * get a reading that raises a heat alert for the call centre, and nobody answers it. Once an alert stayed
 * unacknowledged for the configured minutes ({@link #AFTER_MINUTES} on the benchmark's node) the rules'
 * timer escalates it: the figure is how long past that time (the alert's raising plus the minutes) the
 * notice marked as an alert is on the care manager's list (her patient's timeline, as she reads it) and
 * the mail to her and to the family is at the mail server (a real SMTP server), p50 and p99. The timer
 * looks for alerts due to escalate every {@code escalationCheckSeconds} (5 s), which bounds the delay
 * from above but for the escalation's own work.
 */
final class SensorsEscalationLoad {

  /** The node's {@code sensors.escalateAfterMinutes} in the benchmark (the smallest the setting takes). */
  static final int AFTER_MINUTES = 1;
  private static final String PASSWORD = "Ina-mimamori-2026!";
  private static final String NOTICE = "【みまもりアラート】";
  private static final String MANAGER_MAIL = "ina-bench-caremane@ina.example.jp";

  private record Resident(String household, String patient, String name, String familyMail, String devices) {}

  private final TsunaguNode node;
  private final GreenMail mail;
  private final SensorsBenchmark.Gateway gateway;
  private final CareClient careManager;
  private final List<Resident> residents;

  private SensorsEscalationLoad(TsunaguNode node, GreenMail mail, SensorsBenchmark.Gateway gateway,
      CareClient careManager, List<Resident> residents) {
    this.node = node;
    this.mail = mail;
    this.gateway = gateway;
    this.careManager = careManager;
    this.residents = residents;
  }

  /** {@code count} residents of one nurse's, each with the care manager in the team, enrolled on a gateway of their own. */
  static SensorsEscalationLoad prepare(TsunaguNode node, CareClient staff, String staffId, GreenMail mail,
      int count) {
    AccountSeeder seeder = new AccountSeeder(node.services());
    String facility = seeder.createFacility("伊那ベンチマーク居宅介護支援事業所", "202096", "長野県", "居宅介護支援");
    CareClient nurse = person(node, seeder, "ina-bench-houkan", "ina-bench-houkan@ina.example.jp", "nurse", facility);
    CareClient manager = person(node, seeder, "ina-bench-caremane", MANAGER_MAIL, "care_manager", facility);
    SensorsBenchmark.Gateway gateway = new SensorsBenchmark.Gateway("egw-0", SigningKey.generate(), new ArrayList<>());
    node.services().database().submitWrite(c -> {
      try (var g = c.prepareStatement("insert into sensor_gateways (id, name, provider, public_key, status,"
          + " rate_per_minute, issued_by, issued_at) values (?, ?, 'ベンチマーク', ?, 'active', 600, ?, ?)")) {
        g.setString(1, gateway.id());
        g.setString(2, gateway.id());
        g.setString(3, new JsonObject(gateway.key().verificationKey().toJson()).encode());
        g.setString(4, staffId);
        g.setString(5, java.time.Instant.now().toString());
        return g.executeUpdate();
      }
    }).join();
    List<Resident> residents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String patient = expect(nurse.post("/api/v1/patients", CallCentreBed.patient("見守", "八重")
          .put("birthDate", java.time.LocalDate.of(1930, 1, 1).plusDays(i).toString())), 201).getString("id");
      expect(nurse.post("/api/v1/patients/" + patient + "/team/invitations", new JsonObject()
          .put("userId", manager.userId).put("teamRole", "ケアマネジャー")), 201);
      manager.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
      String name = "見守 八重" + (i + 1);
      String familyMail = "family" + i + "@family.example.jp";
      String prefix = "e" + i;
      JsonObject enrolled = expect(staff.post("/api/v1/sensors/households", new JsonObject().put("patientId", patient)
          .put("residentName", name).put("address", "伊那市荒井" + (i + 1) + "-1").put("district", "伊那")
          .put("phone", "0265-00-0000")
          .put("consent", new JsonObject().put("by", name).put("relation", "本人").put("at", "2026-11-01"))
          .put("devices", new JsonArray()
              .add(new JsonObject().put("id", prefix + "-entrance").put("place", "entrance").put("gatewayId", "egw-0"))
              .add(new JsonObject().put("id", prefix + "-room").put("place", "room").put("gatewayId", "egw-0")))
          .put("contacts", new JsonArray().add(new JsonObject().put("name", "見守 一郎").put("relation", "長男")
              .put("phone", "090-0000-0000").put("mail", familyMail)))), 201);
      gateway.households().add(enrolled.getString("id"));
      residents.add(new Resident(enrolled.getString("id"), patient, name, familyMail, prefix));
    }
    return new SensorsEscalationLoad(node, mail, gateway, manager, residents);
  }

  /**
   * Raises every resident's heat alert, spread over {@code spreadSeconds}, then watches until each was
   * escalated to the care manager's list and mailed, or the wait is over; prints the figure.
   */
  void run(HttpClient http, URI base, int spreadSeconds) throws InterruptedException {
    long gap = Math.max(100, spreadSeconds * 1000L / residents.size());
    for (Resident r : residents) {
      long now = System.currentTimeMillis();
      SensorsBenchmark.post(http, base, gateway, List.of(new GatewayBatch.Reading(r.devices() + "-room",
          now / 60_000, now, "climate", BigDecimal.valueOf(355, 1), BigDecimal.valueOf(800, 1), 80)));
      Thread.sleep(gap - ThreadLocalRandom.current().nextLong(gap / 2));
    }
    Map<String, Long> due = new HashMap<>();
    Map<String, Long> listed = new HashMap<>();
    Map<String, Long> mailed = new HashMap<>();
    long sweepMs = RuleSettings.defaults().sweepSeconds() * 1000L;
    long deadline = System.currentTimeMillis() + AFTER_MINUTES * 60_000L + 2 * sweepMs + 30_000;
    while ((listed.size() < residents.size() || mailed.size() < residents.size())
        && System.currentTimeMillis() < deadline) {
      long now = System.currentTimeMillis();
      for (Resident r : residents) {
        Long dueAt = due.computeIfAbsent(r.household(), h -> raisedMs(h).map(ms -> ms + AFTER_MINUTES * 60_000L)
            .orElse(null));
        if (dueAt == null || now < dueAt) {
          continue;
        }
        if (!listed.containsKey(r.household()) && onHerList(r)) {
          listed.put(r.household(), now - dueAt);
        }
        if (!mailed.containsKey(r.household()) && mailedToBoth(r)) {
          mailed.put(r.household(), now - dueAt);
        }
      }
      Thread.sleep(200);
    }
    report(new ArrayList<>(listed.values()), new ArrayList<>(mailed.values()));
  }

  private void report(List<Long> listed, List<Long> mailed) {
    System.out.printf(Locale.ROOT, "  escalation by the timer (alert unanswered for %d min, the timer looks for due"
        + " escalations every %d s):"
        + " delay past the configured time to the notice on the care manager's list, %d of %d: p50 %.1f s, p99 %.1f s,"
        + " max %.1f s; to the mail to her and the family at the mail server, %d of %d: p50 %.1f s, p99 %.1f s,"
        + " max %.1f s (read every 0.2 s)%n", AFTER_MINUTES, RuleSettings.defaults().escalationCheckSeconds(),
        listed.size(), residents.size(), seconds(listed, 0.5), seconds(listed, 0.99), seconds(listed, 1.0), mailed.size(),
        residents.size(), seconds(mailed, 0.5), seconds(mailed, 0.99), seconds(mailed, 1.0));
  }

  private static double seconds(List<Long> millis, double p) {
    return SensorsBenchmark.percentile(millis, p) / 1000.0;
  }

  /** When the node raised the resident's heat alert: the start of the minutes it may stay unanswered. */
  private Optional<Long> raisedMs(String household) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement("select raised_ms from sensor_alerts where household_id = ? and kind = 'heat'")) {
        s.setString(1, household);
        try (var rs = s.executeQuery()) {
          return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
        }
      }
    }).join();
  }

  private boolean onHerList(Resident r) {
    return careManager.get("/api/v1/patients/" + r.patient() + "/posts").json().getJsonArray("posts", new JsonArray())
        .stream().map(p -> ((JsonObject) p).getString("body", "")).anyMatch(b -> b.startsWith(NOTICE));
  }

  private boolean mailedToBoth(Resident r) {
    boolean manager = false;
    boolean family = false;
    for (MimeMessage m : mail.getReceivedMessages()) {
      try {
        if (m.getSubject() != null && m.getSubject().contains(r.name() + " 様")) {
          String to = m.getAllRecipients()[0].toString();
          manager |= to.equals(MANAGER_MAIL);
          family |= to.equals(r.familyMail());
        }
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return manager && family;
  }

  private static CareClient person(TsunaguNode node, AccountSeeder seeder, String login, String mail,
      String profession, String facility) {
    String id = seeder.createUser(new AccountSeeder.Person(login, mail, "伊那", "花子", "イナ", "ハナコ", profession,
        Role.PROFESSIONAL, Optional.of(facility)), PASSWORD, "windows").userId();
    CareClient client = new CareClient(node, id);
    client.login(login, PASSWORD);
    return client;
  }

  private static JsonObject expect(CareClient.Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("the escalation set-up got " + reply.status() + ": " + reply.body());
    }
    return reply.json();
  }
}
