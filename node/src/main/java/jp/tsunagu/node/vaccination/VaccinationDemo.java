package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.care.TimelineNotices;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The demo's vaccination histories: the node's visiting nurse (the care demo's {@code <node>-kango},
 * a member of every demo patient's team) has given each demo patient COVID-19 and influenza doses at
 * home over the past months, recorded as a nurse records them (timeline notices included); one
 * patient has a 帯状疱疹 希望, one an influenza 予定 with the nurse in ten days, and one a 肺炎球菌 見送り;
 * one dose has a 副反応 (a fever that passed) added the next day; a partner's visiting nurse in the team of a patient
 * homed elsewhere records a 肺炎球菌 dose from her own node.
 */
final class VaccinationDemo {

  private static final String[][] PRODUCTS = {{"covid19", "ファイザー", "FP1234"}, {"covid19", "モデルナ", "MD-0456"},
      {"influenza", "第一三共", "FK7788"}, {"pneumococcal", "MSD", "PN2025"}};

  private VaccinationDemo() {}

  static void seed(NodeServices services, PatientAccess patients, Doses doses, TimelineNotices notices) {
    List<PatientAccess.Registered> registered = await(patients.registeredForStaff());
    String node = services.config().node().name();
    Instant now = Instant.now(services.clock());
    await(services.database().write(c -> {
      try (PreparedStatement s = c.prepareStatement("select count(*) from vaccination_doses");
          ResultSet rs = s.executeQuery()) {
        if (rs.next() && rs.getLong(1) > 0) {
          return null;
        }
      }
      String nurse;
      // The demo's visiting nurse (seeded by the care feature's demo accounts), as the recorder.
      try (PreparedStatement s = c.prepareStatement("select id from users where login_id = ?")) {
        s.setString(1, node + "-kango");
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          nurse = rs.getString(1);
        }
      }
      for (int p = 0; p < registered.size(); p++) {
        String patientId = registered.get(p).id();
        int shots = 1 + p % 3;
        for (int n = 0; n < shots; n++) {
          String[] product = PRODUCTS[n == 2 ? 2 : (p + n) % 2];
          Instant given = now.minus(Duration.ofDays(200 - 60L * n - p)).minus(Duration.ofHours(2));
          String vaccine = product[0];
          long before = DoseSql.ofPatient(c, patientId).stream().filter(d -> d.vaccine().equals(vaccine)).count();
          JsonObject saved = doses.save(c, nurse, DoseInput.of(body(vaccine, (int) before + 1, given, product, p),
              VaccinationIds.next(), patientId));
          if (p == 0 && n == 0) {
            // 副反応 added the day after, as the nurse hears of it on her next visit: a fever that passed.
            DoseSql.insertReaction(c, new DoseSql.Reaction(VaccinationIds.next(), saved.getString("id"), "発熱（37.8℃）",
                given.plus(Duration.ofHours(14)).toString(), "回復（翌日に解熱）", nurse,
                given.plus(Duration.ofDays(1)).toString()));
          }
        }
        if (p == 0) {
          PlanSql.insert(c, new PlanSql.Plan(VaccinationIds.next(), patientId, "zoster", PlanStatus.WISHED, null, null,
              "", "", "", now.toString()), nurse);
        }
        if (p == 2) {
          // 予定: the visiting nurse goes in ten days with the influenza vaccine of the new season.
          JsonObject who = notices.profile(c, nurse);
          PlanSql.insert(c, new PlanSql.Plan(VaccinationIds.next(), patientId, "influenza", PlanStatus.PLANNED,
              now.atZone(java.time.ZoneId.of("Asia/Tokyo")).toLocalDate().plusDays(10).toString(), nurse,
              (who.getString("familyName", "") + " " + who.getString("givenName", "")).strip(),
              who.getString("facility", ""), "", now.toString()), nurse);
        }
        if (p == 1) {
          PlanSql.insert(c, new PlanSql.Plan(VaccinationIds.next(), patientId, "pneumococcal", PlanStatus.DECLINED,
              null, null, "", "", "ご本人が今回は希望されず", now.toString()), nurse);
        }
      }
      return null;
    }));
  }

  /**
   * On a node whose visiting nurse is in the team of a partner's patient (the demo's wide-area teams):
   * she records a 肺炎球菌 dose on her node's copy, which goes to the patient's home node through the
   * team sync, as in real use. Run once the demo's teams are formed; a rerun adds nothing.
   */
  static void seedPartnerDoses(NodeServices services, Doses doses, TimelineNotices notices) {
    String node = services.config().node().name();
    Instant given = Instant.now(services.clock()).minus(Duration.ofDays(3));
    await(services.database().write(c -> {
      String nurse;
      try (PreparedStatement s = c.prepareStatement("select id from users where login_id = ? and home_node is null")) {
        s.setString(1, node + "-kango");
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          nurse = rs.getString(1);
        }
      }
      List<String> partnersPatients = new java.util.ArrayList<>();
      // The partners' patients this node holds a copy of (the care feature's boards; demo data only).
      try (PreparedStatement s = c.prepareStatement("select b.id from care_boards b join patients p on p.id = b.id"
          + " where b.home_node is not null order by b.id"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          partnersPatients.add(rs.getString(1));
        }
      }
      for (String patientId : partnersPatients) {
        boolean done = DoseSql.ofPatient(c, patientId).stream().anyMatch(d -> d.vaccine().equals("pneumococcal"));
        if (!done && notices.activeMember(c, patientId, nurse)) {
          doses.save(c, nurse, DoseInput.of(body("pneumococcal", 1, given, PRODUCTS[3], 0)
              .put("vaccinator", "訪問看護師"), VaccinationIds.next(), patientId));
        }
      }
      return null;
    }));
  }

  private static JsonObject body(String vaccine, int number, Instant given, String[] product, int p) {
    JsonObject answers = new JsonObject();
    for (Screening.Question q : Screening.Question.values()) {
      answers.put(q.code, false);
    }
    return new JsonObject().put("vaccine", vaccine).put("doseNumber", number).put("givenAt", given.toString())
        .put("place", p % 2 == 0 ? "home" : "facility").put("manufacturer", product[1]).put("lotNumber", product[2])
        .put("vaccinator", "訪問診療医").put("ticketNumber", String.format("20%08d", 1000 + p * 10 + number))
        .put("screening", new JsonObject().put("temperature", 36.4).put("answers", answers))
        .put("observation", new JsonObject().put("minutes", 15).put("startedAt", given.toString())
            .put("endedAt", given.plus(Duration.ofMinutes(15)).toString()).put("observer", "訪問看護師"))
        .put("ticketPhotos", new JsonArray()).put("screeningPhotos", new JsonArray());
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the vaccination demo could not be seeded", e);
    }
  }
}
