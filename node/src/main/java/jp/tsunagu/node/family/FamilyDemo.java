package jp.tsunagu.node.family;

import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.identity.Passwords;
import jp.tsunagu.node.identity.Secrets;

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

  /** The demo family's login as the demo prints it, on the node that holds it. */
  public static Optional<String> login(NodeServices services) {
    return services.database().submitRead(c -> FamilySql.byLoginId(c, LOGIN_ID)).join()
        .flatMap(a -> a.totpSecret().map(secret -> "ここのーと 竹松 様のご家族（" + services.config().webUrl()
            + "/family.html・TOTP キー " + secret + "）"));
  }
}
