package jp.tsunagu.node.family;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.identity.Passwords;
import jp.tsunagu.node.identity.Secrets;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The demo's family notebook: the eldest daughter of 竹松 様, the 伊那市 patient whose team has a
 * 南箕輪村 visiting nurse, with the demo password and a TOTP key the demo prints (to add to an
 * authenticator app), and two entries the team reads on the timeline. Created once per demo folder.
 * Blocking; start-up only.
 */
public final class FamilyDemo {

  public static final String LOGIN_ID = "ina-kazoku";
  private static final String HOME = "ina";
  private static final String PATIENT = "竹松";
  private static final List<String[]> ENTRIES = List.of(
      new String[] {"食事", "朝はおかゆを半分、昼はうどんを全部食べました。"},
      new String[] {"質問", "夜中に何度か目が覚めるようです。眠る前の薬を相談できますか。"});

  private FamilyDemo() {}

  static void seed(FamilyContext family) {
    if (!HOME.equals(family.services().config().node().name())) {
      return;
    }
    Optional<PatientAccess.DemoPatient> patient = family.patients().demoPatient(PATIENT).toCompletionStage()
        .toCompletableFuture().join();
    if (patient.isEmpty()) {
      return;
    }
    String now = family.now().toString();
    String password = Passwords.hash(DemoAccounts.PASSWORD);
    family.services().database().submitWrite(c -> {
      if (FamilySql.byLoginId(c, LOGIN_ID).isPresent()) {
        return null;
      }
      String by = patient.get().registeredBy();
      String id = Secrets.id();
      FamilySql.insertAccount(c, new FamilyAccount(id, patient.get().id(), LOGIN_ID, LOGIN_ID + "@demo.invalid",
          "竹松 和子", "子", "本人（" + patient.get().name() + "）", now.substring(0, 10), by, now, "invited",
          Optional.empty(), Optional.empty(), 0, 0, Optional.empty(), Optional.empty()), null, null);
      FamilySql.activate(c, id, password, Totp.newSecret());
      family.audit().append(c, AuditEvent.success(by, "family.invited", FamilyContext.patientTarget(patient.get().id()),
          null));
      for (String[] e : ENTRIES) {
        Optional<String> post = family.notices().post(c, patient.get().id(), by,
            "【ご家族から（子・竹松 和子 さん）】" + e[0] + "\n" + e[1]);
        FamilySql.insertEntry(c, Secrets.id(), id, patient.get().id(), e[0], e[1], now, post.orElse(null));
      }
      return null;
    }).join();
  }

  /**
   * The demo family's 訪問予定 once the teams span two nodes: on the home node, coming visits of two of
   * the team's own members (sent to the partner's copy as any planned visit); on the partner's node, its
   * visiting nurse plans one on her copy, submitted to the home node as in real use, which takes it and
   * shows it in the notebook. A rerun plans again only what is no longer coming.
   */
  static void seedVisits(FamilyContext family, VisitEvents events) {
    String node = family.services().config().node().name();
    LocalDate today = LocalDate.now(family.services().clock().withZone(FamilyContext.JAPAN));
    String now = family.now().toString();
    Optional<PatientAccess.DemoPatient> patient = HOME.equals(node) ? family.patients().demoPatient(PATIENT)
        .toCompletionStage().toCompletableFuture().join() : Optional.empty();
    family.services().database().submitWrite(c -> {
      if (HOME.equals(node)) {
        if (patient.isEmpty() || !VisitSql.coming(c, patient.get().id(), today.toString()).isEmpty()) {
          return null;
        }
        List<String[]> members = ownMembers(family, c, patient.get().id());
        for (int i = 0; i < Math.min(2, members.size()); i++) {
          plan(family, events, c, new VisitSql.Visit(Secrets.id(), patient.get().id(), today.plusDays(2 + 3L * i)
              .toString(), i == 0 ? "10:00" : "14:00", i == 0 ? "10:30" : "15:00", members.get(i)[1]),
              members.get(i)[0], now, false);
        }
        return null;
      }
      Optional<String> nurse = text(c, "select id from users where login_id = ? and home_node is null",
          node + "-kango");
      Optional<String> copy = text(c, "select b.id from care_boards b join patients p on p.id = b.id"
          + " where b.home_node = ? and p.family_name = ?", HOME, PATIENT);
      if (nurse.isEmpty() || copy.isEmpty() || !family.notices().activeMember(c, copy.get(), nurse.get())
          || text(c, "select id from family_visits where patient_id = ? and planned_by = ?"
              + " and cancelled_at is null and visit_date >= ?", copy.get(), nurse.get(), today.toString())
              .isPresent()) {
        return null;
      }
      plan(family, events, c, new VisitSql.Visit(Secrets.id(), copy.get(), today.plusDays(4).toString(), "09:30",
          "10:30", "nurse"), nurse.get(), now, true);
      return null;
    }).join();
  }

  /** A visit planned as the visit screen plans it: stored at home, submitted from a partner's copy. */
  private static void plan(FamilyContext family, VisitEvents events, java.sql.Connection c, VisitSql.Visit visit,
      String by, String now, boolean copy) throws java.sql.SQLException {
    if (!copy) {
      VisitSql.insert(c, visit, by, now);
    }
    events.recordPlanned(c, visit, by, now);
    family.audit().append(c, AuditEvent.success(by, copy ? "family.visit.submitted" : "family.visit.planned",
        FamilyContext.patientTarget(visit.patientId()), new io.vertx.core.json.JsonObject().put("visit", visit.id())
            .put("date", visit.date())));
  }

  /** The team's active members of this node with a profession of the reference list: {id, profession}. */
  private static List<String[]> ownMembers(FamilyContext family, java.sql.Connection c, String patientId)
      throws java.sql.SQLException {
    return family.notices().localMembers(c, patientId).stream()
        .filter(m -> m.profession() != null && ReferenceData.get().profession(m.profession()).isPresent())
        .map(m -> new String[] {m.userId(), m.profession()}).toList();
  }

  /** One text of the first row (demo data only). */
  private static Optional<String> text(java.sql.Connection c, String sql, String... params)
      throws java.sql.SQLException {
    try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (java.sql.ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    }
  }

  /** The demo family's login as the demo prints it, on the node that holds it. */
  public static Optional<String> login(NodeServices services) {
    return services.database().submitRead(c -> FamilySql.byLoginId(c, LOGIN_ID)).join()
        .flatMap(a -> a.totpSecret().map(secret -> "ここのーと 竹松 様のご家族（" + services.config().webUrl()
            + "/family.html・TOTP キー " + secret + "）"));
  }
}
