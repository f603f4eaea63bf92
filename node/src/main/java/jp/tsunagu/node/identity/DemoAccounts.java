package jp.tsunagu.node.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The demo's people on each node: a municipal staff member (行政), one facility with its
 * administrator and three professionals of real professions, and an ambulance crew member (救急・消防). Created once per demo folder; the
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

  /**
   * Each node its own people (no name on two nodes), so a cross-node team or the directory never
   * lists two people of one name. The first is the node's 行政, the rest its clinic's staff, then the
   * fire service's 救急・消防 account, the 見守りセンター operator of the municipality's call centre and, on
   * 伊那市, the review board's 審査会事務局 and two more professionals who sit on its panel.
   */
  private static final Map<String, List<Seed>> PEOPLE = Map.of(
      "ina", List.of(
          new Seed("gyosei", "田中", "明子", "タナカ", "アキコ", "municipal_staff", Role.MUNICIPAL_STAFF),
          new Seed("kanri", "小松", "由紀", "コマツ", "ユキ", "visiting_nurse", Role.FACILITY_ADMIN),
          new Seed("ishi", "北原", "健一", "キタハラ", "ケンイチ", "doctor", Role.PROFESSIONAL),
          new Seed("kango", "宮下", "さくら", "ミヤシタ", "サクラ", "nurse", Role.PROFESSIONAL),
          new Seed("caremane", "伊藤", "誠", "イトウ", "マコト", "care_manager", Role.PROFESSIONAL),
          new Seed("kyukyu", "宮坂", "翔", "ミヤサカ", "ショウ", "ems_crew", Role.EMERGENCY_RESPONDER),
          new Seed("mimamori", "春日", "陽菜", "カスガ", "ヒナ", "municipal_staff", Role.WATCH_CENTRE),
          // The review board (介護認定審査会) of 伊那市: its secretariat and two more of the panel's reviewers.
          new Seed("shinsakai", "池上", "直樹", "イケガミ", "ナオキ", "municipal_staff", Role.REVIEW_SECRETARIAT),
          new Seed("shika", "赤羽", "理恵", "アカハネ", "リエ", "dentist", Role.PROFESSIONAL),
          new Seed("shakai", "竹内", "亮", "タケウチ", "リョウ", "social_worker", Role.PROFESSIONAL)),
      "minamiminowa", List.of(
          new Seed("gyosei", "唐沢", "恵", "カラサワ", "メグミ", "municipal_staff", Role.MUNICIPAL_STAFF),
          new Seed("kanri", "有賀", "直美", "アルガ", "ナオミ", "visiting_nurse", Role.FACILITY_ADMIN),
          new Seed("ishi", "清水", "達也", "シミズ", "タツヤ", "doctor", Role.PROFESSIONAL),
          new Seed("kango", "藤森", "美穂", "フジモリ", "ミホ", "nurse", Role.PROFESSIONAL),
          new Seed("caremane", "小林", "浩二", "コバヤシ", "コウジ", "care_manager", Role.PROFESSIONAL),
          new Seed("kyukyu", "丸山", "大輔", "マルヤマ", "ダイスケ", "ems_crew", Role.EMERGENCY_RESPONDER),
          new Seed("mimamori", "唐木", "美咲", "カラキ", "ミサキ", "municipal_staff", Role.WATCH_CENTRE)),
      "minowa", List.of(
          new Seed("gyosei", "白鳥", "陽子", "シラトリ", "ヨウコ", "municipal_staff", Role.MUNICIPAL_STAFF),
          new Seed("kanri", "向井", "智子", "ムカイ", "トモコ", "visiting_nurse", Role.FACILITY_ADMIN),
          new Seed("ishi", "中村", "隆", "ナカムラ", "タカシ", "doctor", Role.PROFESSIONAL),
          new Seed("kango", "酒井", "愛", "サカイ", "アイ", "nurse", Role.PROFESSIONAL),
          new Seed("caremane", "加藤", "恵美", "カトウ", "エミ", "care_manager", Role.PROFESSIONAL),
          new Seed("kyukyu", "浦野", "拓也", "ウラノ", "タクヤ", "ems_crew", Role.EMERGENCY_RESPONDER),
          new Seed("mimamori", "伊澤", "葵", "イザワ", "アオイ", "municipal_staff", Role.WATCH_CENTRE)));

  private DemoAccounts() {}

  /** Creates the accounts if the node has none yet; returns the logins either way. */
  public static List<Login> ensure(NodeServices services) {
    String node = services.config().node().name();
    String code = services.config().node().municipalities().get(0);
    ReferenceData.Municipality municipality = ReferenceData.get().municipality(code).orElseThrow();
    AccountSeeder seeder = new AccountSeeder(services);
    if (!seeder.anyUsers()) {
      List<Seed> people = people(node);
      Seed gyosei = people.get(0);
      seeder.createUser(person(node, gyosei, Optional.empty()), PASSWORD, "windows");
      String facility = seeder.createFacility(facilityName(municipality), code, municipality.prefecture(), "clinic");
      for (Seed s : people.subList(1, people.size())) {
        // The 救急・消防 account belongs to the fire service and the 見守りセンター's to the call centre the
        // municipality commissions, not to the clinic.
        Optional<String> of = s.role() == Role.EMERGENCY_RESPONDER || s.role() == Role.WATCH_CENTRE
            || s.role() == Role.REVIEW_SECRETARIAT ? Optional.empty() : Optional.of(facility);
        seeder.createUser(person(node, s, of), PASSWORD, "windows");
      }
    }
    return logins(services);
  }

  /** The demo logins of this node (what the demo prints and a demo node's login page lists). */
  public static List<Login> logins(NodeServices services) {
    String node = services.config().node().name();
    String code = services.config().node().municipalities().get(0);
    ReferenceData.Municipality municipality = ReferenceData.get().municipality(code).orElseThrow();
    List<Login> logins = new ArrayList<>();
    for (Seed s : people(node)) {
      String profession = ReferenceData.get().profession(s.profession()).map(ReferenceData.Profession::nameJa)
          .orElse(s.profession());
      logins.add(s.role() == Role.MUNICIPAL_STAFF
          ? new Login(node + "-" + s.suffix(), "行政 " + municipality.nameJa() + " " + s.family() + " " + s.given())
          : s.role() == Role.WATCH_CENTRE || s.role() == Role.REVIEW_SECRETARIAT
          ? new Login(node + "-" + s.suffix(), s.role().labelJa() + " " + s.family() + " " + s.given())
          : s.role() == Role.EMERGENCY_RESPONDER
          ? new Login(node + "-" + s.suffix(), s.role().labelJa() + " " + profession + " " + s.family() + " " + s.given())
          : new Login(node + "-" + s.suffix(), s.role().labelJa() + " " + profession + " " + s.family() + " "
              + s.given() + "（" + facilityName(municipality) + "）"));
    }
    return logins;
  }

  private static List<Seed> people(String node) {
    return PEOPLE.getOrDefault(node, PEOPLE.get("ina"));
  }

  private static String facilityName(ReferenceData.Municipality municipality) {
    return municipality.nameJa() + "在宅医療連携クリニック";
  }

  private static AccountSeeder.Person person(String node, Seed s, Optional<String> facility) {
    String loginId = node + "-" + s.suffix();
    return new AccountSeeder.Person(loginId, loginId + "@demo.invalid", s.family(), s.given(), s.familyKana(),
        s.givenKana(), s.profession(), s.role(), facility);
  }
}
