package jp.tsunagu.node.disaster;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.care.PatientAccess;
import jp.tsunagu.node.feature.NodeServices;

/**
 * The demo's 要援護者台帳: a few hundred fictional people over the real 地区 of the node's
 * municipalities, and the demo's patients among them (so matches are proposed for staff to decide),
 * as version 1 of the register. Seeded in one batch with every person at their 地区's centre, marked
 * approximate: the demo starts fast and offline, without an address search.
 */
final class DisasterDemo {

  private static final int PEOPLE = 300;
  private static final String[][] FAMILY = {{"伊藤", "イトウ"}, {"小林", "コバヤシ"}, {"宮下", "ミヤシタ"},
      {"北原", "キタハラ"}, {"酒井", "サカイ"}, {"池上", "イケガミ"}, {"丸山", "マルヤマ"}, {"矢島", "ヤジマ"},
      {"井口", "イグチ"}, {"平沢", "ヒラサワ"}, {"福沢", "フクザワ"}, {"赤羽", "アカハネ"}, {"城倉", "シロクラ"},
      {"伊東", "イトウ"}, {"中山", "ナカヤマ"}, {"松沢", "マツザワ"}, {"竹内", "タケウチ"}, {"宮坂", "ミヤサカ"}};
  private static final String[][] GIVEN = {{"ハツ", "ハツ"}, {"千代", "チヨ"}, {"和子", "カズコ"}, {"幸子", "サチコ"},
      {"ミツ", "ミツ"}, {"信子", "ノブコ"}, {"一郎", "イチロウ"}, {"武", "タケシ"}, {"清司", "セイジ"},
      {"勝", "マサル"}, {"実", "ミノル"}, {"とし子", "トシコ"}, {"義男", "ヨシオ"}, {"春江", "ハルエ"}};
  private static final String[] SITES = {"公民館", "小学校体育館", "福祉センター"};

  private DisasterDemo() {}

  static void seed(NodeServices services, Districts districts, PatientAccess patients) {
    if (districts.all().isEmpty()) {
      return; // a node of another region: the demo has no 地区 for it
    }
    List<PatientAccess.Registered> registered = await(patients.registeredForStaff());
    String node = services.config().node().name();
    String now = Instant.now(services.clock()).toString();
    await(services.database().write(c -> {
      if (RegisterSql.current(c).isPresent()) {
        return null;
      }
      String staff;
      // The demo's municipal staff account (seeded by the identity feature's demo), as the uploader.
      try (PreparedStatement s = c.prepareStatement("select id from users where login_id = ?")) {
        s.setString(1, node + "-gyosei");
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          staff = rs.getString(1);
        }
      }
      List<RegisterPerson> people = people(node, districts, registered);
      String id = DisasterIds.next();
      RegisterSql.insertImport(c, id, null, people.size(), staff, now);
      RegisterSql.insertPeople(c, id, people);
      RegisterSql.confirm(c, id, 1, staff, now);
      for (PatientAccess.Registered patient : registered) {
        String key = RegisterCsv.kana(patient.kana()) + "/" + patient.birthDate();
        if (people.stream().anyMatch(p -> p.key().equals(key))) {
          RegisterSql.propose(c, DisasterIds.next(), key, patient.id(), true, now);
        }
      }
      return null;
    }));
  }

  private static List<RegisterPerson> people(String node, Districts districts,
      List<PatientAccess.Registered> registered) {
    Random random = new Random(node.hashCode());
    Map<String, RegisterPerson> people = new LinkedHashMap<>();
    List<Districts.District> all = districts.all();
    for (PatientAccess.Registered patient : registered) {
      // The demo's patients live at 〈prefecture〉〈municipality〉〈地区〉〈number〉: the 地区 follows the
      // municipality's name (which may itself contain a 地区 name, as 伊那市 does 伊那).
      String local = patient.address().replaceFirst("^.*?[市町村]", "");
      Districts.District district = all.stream().filter(d -> local.startsWith(d.name()))
          .max(java.util.Comparator.comparingInt(d -> d.name().length())).orElse(all.get(0));
      RegisterPerson person = person(random, patient.name(), RegisterCsv.kana(patient.kana()), patient.birthDate(),
          patient.address(), district);
      people.put(person.key(), person);
    }
    while (people.size() < PEOPLE + registered.size()) {
      String[] family = FAMILY[random.nextInt(FAMILY.length)];
      String[] given = GIVEN[random.nextInt(GIVEN.length)];
      Districts.District district = all.get(random.nextInt(all.size()));
      LocalDate birth = LocalDate.of(1925 + random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28));
      String address = district.name() + (100 + random.nextInt(3000)) + "-" + (1 + random.nextInt(20));
      RegisterPerson person = person(random, family[0] + " " + given[0], family[1] + given[1], birth.toString(),
          address, district);
      people.putIfAbsent(person.key(), person);
    }
    return new ArrayList<>(people.values());
  }

  private static RegisterPerson person(Random random, String name, String kana, String birth, String address,
      Districts.District district) {
    List<Reason> reasons = new ArrayList<>();
    int roll = random.nextInt(100);
    if (roll < 3) {
      reasons.add(Reason.VENTILATOR);
    } else if (roll < 9) {
      reasons.add(Reason.OXYGEN);
    } else if (roll < 12) {
      reasons.add(Reason.DIALYSIS);
    } else if (roll < 14) {
      reasons.add(Reason.SUCTION);
    }
    String careLevel = "";
    if (random.nextInt(100) < 55) {
      reasons.add(Reason.CARE_NEED);
      careLevel = "要介護" + (1 + random.nextInt(5));
    }
    if (random.nextInt(100) < 15) {
      reasons.add(Reason.DISABILITY);
    }
    reasons.add(random.nextBoolean() ? Reason.LIVING_ALONE : Reason.ELDERLY_ONLY);
    boolean plan = random.nextInt(100) < 40;
    String supporter = random.nextInt(100) < 70 ? "近所の" + FAMILY[random.nextInt(FAMILY.length)][0] + "さん" : "";
    return new RegisterPerson(kana + "/" + birth, name, kana, birth, random.nextBoolean() ? "female" : "male",
        address, district.municipalityCode(), district.name(), "0265-00-" + (1000 + random.nextInt(9000)),
        List.copyOf(reasons), careLevel, supporter, supporter.isEmpty() ? "" : "090-0000-" + (1000 + random.nextInt(9000)),
        random.nextInt(100) < 70, plan, plan ? district.name() + SITES[random.nextInt(SITES.length)] : "",
        district.latitude(), district.longitude(), true);
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("seeding the demo register did not finish within 30 s", e);
    }
  }
}
