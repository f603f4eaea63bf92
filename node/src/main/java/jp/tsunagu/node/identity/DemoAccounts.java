package jp.tsunagu.node.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.NodeServices;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The demo's people on each node: a municipal staff member (行政), and one facility with its
 * administrator and three professionals of real professions. Created once per demo folder; the
 * same login ids and password are printed on every run. Demo nodes let these log in with the
 * password alone from loopback (with the デモ banner); {@code serve} never does.
 */
public final class DemoAccounts {

  /** The one password of every demo account, printed by the demo command. */
  public static final String PASSWORD = "tsunagu-demo-2025";

  /** A login the demo prints. */
  public record Login(String loginId, String who) {}

  private record Seed(String suffix, String family, String given, String familyKana, String givenKana,
      String profession, Role role) {}

  private static final List<Seed> FACILITY_PEOPLE = List.of(
      new Seed("kanri", "小松", "由紀", "コマツ", "ユキ", "visiting_nurse", Role.FACILITY_ADMIN),
      new Seed("ishi", "北原", "健一", "キタハラ", "ケンイチ", "doctor", Role.PROFESSIONAL),
      new Seed("kango", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", Role.PROFESSIONAL),
      new Seed("caremane", "伊藤", "誠", "イトウ", "マコト", "care_manager", Role.PROFESSIONAL));

  private DemoAccounts() {}

  /** Creates the accounts if the node has none yet; returns the logins either way. */
  public static List<Login> ensure(NodeServices services) {
    String node = services.config().node().name();
    String code = services.config().node().municipalities().get(0);
    ReferenceData.Municipality municipality = ReferenceData.get().municipality(code).orElseThrow();
    String facilityName = municipality.nameJa() + "在宅医療連携クリニック";
    AccountSeeder seeder = new AccountSeeder(services);
    if (!seeder.anyUsers()) {
      seeder.createUser(new AccountSeeder.Person(node + "-gyosei", node + "-gyosei@demo.invalid", "田中", "明子",
          "タナカ", "アキコ", "municipal_staff", Role.MUNICIPAL_STAFF, Optional.empty()), PASSWORD, "windows");
      String facility = seeder.createFacility(facilityName, code, municipality.prefecture(), "clinic");
      for (Seed s : FACILITY_PEOPLE) {
        seeder.createUser(new AccountSeeder.Person(node + "-" + s.suffix(), node + "-" + s.suffix() + "@demo.invalid",
            s.family(), s.given(), s.familyKana(), s.givenKana(), s.profession(), s.role(), Optional.of(facility)),
            PASSWORD, "windows");
      }
    }
    List<Login> logins = new ArrayList<>();
    logins.add(new Login(node + "-gyosei", "行政 " + municipality.nameJa() + " 田中 明子"));
    for (Seed s : FACILITY_PEOPLE) {
      String profession = ReferenceData.get().profession(s.profession()).map(ReferenceData.Profession::nameJa)
          .orElse(s.profession());
      logins.add(new Login(node + "-" + s.suffix(), s.role().labelJa() + " " + profession + " " + s.family() + " "
          + s.given() + "（" + facilityName + "）"));
    }
    return logins;
  }
}
