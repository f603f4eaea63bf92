package jp.tsunagu.node.care;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.DemoAccounts;
import jp.tsunagu.node.reference.ReferenceData;
import jp.tsunagu.node.care.vitals.VitalsSql;
import jp.tsunagu.node.care.vitals.Vitals;
import jp.tsunagu.node.care.timeline.PostSql;
import jp.tsunagu.node.care.timeline.PostDetailsSql;
import jp.tsunagu.node.care.teams.BoardSql;
import jp.tsunagu.node.care.patients.PatientSql;
import jp.tsunagu.node.care.patients.Patient;

/**
 * The demo's care data on each node: fictitious patients living in the node's real municipality,
 * each with a care team of the demo professionals and three weeks of timeline history (notes,
 * comments, vitals, a direct post, read receipts). Created once per demo folder. Blocking; start-up only.
 */
public final class CareDemo {

  private record Person(String family, String given, String familyKana, String givenKana, String birth, String sex,
      String careLevel, String remarks, String district) {}

  /**
   * Each node its own residents (names common in the area, none shared between nodes), so a team
   * that spans nodes never shows two people of one name. The 伊那市 竹松 and the 南箕輪村 唐木 are the
   * patients of the demo's cross-node teams ({@code DemoFederation}).
   */
  private static final Map<String, List<Person>> PATIENTS = Map.of(
      "ina", List.of(
          new Person("春日", "トメ", "カスガ", "トメ", "1931-05-12", "female", "要介護3", "独居。長女が週末に来訪。", "西箕輪"),
          new Person("北沢", "正夫", "キタザワ", "マサオ", "1939-11-03", "male", "要介護1", "COPD、在宅酸素 2L/分。", "美篶"),
          new Person("竹松", "ハル", "タケマツ", "ハル", "1935-02-20", "female", "要介護4", "膵がん末期。自宅での看取りを希望。", "手良"),
          new Person("小池", "清", "コイケ", "キヨシ", "1946-08-15", "male", "要支援2", "軽度認知症。服薬管理に支援が必要。", "東春近")),
      "minamiminowa", List.of(
          new Person("唐木", "正夫", "カラキ", "マサオ", "1938-04-09", "male", "要介護2", "COPD、在宅酸素 2L/分。", "北殿"),
          new Person("清水", "キヨ", "シミズ", "キヨ", "1933-09-27", "female", "要介護3", "独居。次男が隣町に住む。", "田畑"),
          new Person("有賀", "ふみ", "アルガ", "フミ", "1941-01-18", "female", "要介護1", "心不全。体重の増加に注意。", "神子柴"),
          new Person("原", "久雄", "ハラ", "ヒサオ", "1944-06-30", "male", "要支援2", "脳梗塞後。左片麻痺、杖歩行。", "大泉")),
      "minowa", List.of(
          new Person("向山", "シズ", "ムカイヤマ", "シズ", "1930-12-02", "female", "要介護4", "寝たきり。胃ろう。夫が介護。", "松島"),
          new Person("大槻", "勇", "オオツキ", "イサム", "1937-03-14", "male", "要介護2", "パーキンソン病。転倒歴あり。", "中曽根"),
          new Person("柴", "キミ子", "シバ", "キミコ", "1940-10-21", "female", "要介護1", "糖尿病。インスリン自己注射。", "三日町"),
          new Person("唐沢", "茂", "カラサワ", "シゲル", "1945-07-07", "male", "要支援2", "軽度認知症。服薬管理に支援が必要。", "富田")));

  /** Notes in the order they happen, by role: 0 doctor, 1 nurse, 2 care manager. */
  private static final List<String[]> NOTES = List.of(
      new String[] {"2", "連絡", "退院前カンファレンスの結果を共有します。週2回の訪問看護、週3回の訪問介護で開始します。"},
      new String[] {"0", "受診", "訪問診療。胸部聴診で異常なし。内服は現行どおり継続。"},
      new String[] {"1", "申し送り", "訪問時、表情良好。昼食は7割摂取。仙骨部に発赤なし。"},
      new String[] {"1", "排泄", "2日間排便なし。腹部膨満軽度。水分摂取を促しました。"},
      new String[] {"2", "相談", "ご家族から、夜間の見守りについて相談がありました。ショートステイの利用も検討します。"},
      new String[] {"0", "服薬", "酸化マグネシウムを 330mg 1日2回に変更しました。"},
      new String[] {"1", "睡眠", "夜間3回覚醒あり、日中の傾眠傾向。"},
      new String[] {"2", "連絡", "福祉用具（特殊寝台）を来週火曜に搬入予定です。"},
      new String[] {"1", "リハビリ", "歩行器で居室内を往復3回。ふらつきなし。"},
      new String[] {"0", "申し送り", "人生会議を実施。ご本人は自宅で過ごしたいとの意向。ご家族も同意。"});

  /** Replies other members leave on some notes (by index in NOTES): role, then the comment. */
  private static final Map<Integer, String[]> REPLIES = Map.of(
      3, new String[] {"0", "明日も排便がなければ、頓用の下剤を使ってください。"},
      4, new String[] {"1", "夜間の様子は、次回の訪問でご家族に伺います。"},
      5, new String[] {"1", "承知しました。お薬カレンダーを入れ替えておきます。"},
      7, new String[] {"1", "搬入後に、褥瘡予防マットの状態も確認します。"});

  private CareDemo() {}

  public static void seed(NodeServices services) {
    DemoAccounts.ensure(services);
    String node = services.config().node().name();
    String code = services.config().node().municipalities().get(0);
    ReferenceData.Municipality municipality = ReferenceData.get().municipality(code).orElseThrow();
    services.database().submitWrite(c -> {
      if (any(c)) {
        return null;
      }
      List<CareActor> team = List.of(actor(c, node + "-ishi"), actor(c, node + "-kango"), actor(c, node + "-caremane"));
      List<String> roles = List.of("主治医", "訪問看護", "ケアマネジャー");
      Instant start = Instant.now(services.clock()).minus(Duration.ofDays(21));
      List<Person> patients = PATIENTS.getOrDefault(node, PATIENTS.get("ina"));
      for (int p = 0; p < patients.size(); p++) {
        Person person = patients.get(p);
        String id = CareIds.next();
        PatientSql.insert(c, id, new Patient.Details(person.family(), person.given(), person.familyKana(),
            person.givenKana(), LocalDate.parse(person.birth()), person.sex(), municipality.prefecture()
            + municipality.nameJa() + person.district() + (1200 + 37 * p) + "-" + (p + 1), code, "0265-00-00" + (10 + p),
            team.get(0).displayName() + "（" + municipality.nameJa() + "在宅医療連携クリニック）", person.careLevel(),
            "長女 090-0000-00" + (10 + p), "", person.remarks()), team.get(0).userId(),
            start.toString());
        for (int m = 0; m < team.size(); m++) {
          BoardSql.upsertMember(c, id, team.get(m).userId(), roles.get(m), "active", team.get(0).userId(),
              start.toString());
        }
        history(c, id, team, start, p);
      }
      return null;
    }).join();
  }

  private static void history(Connection c, String patientId, List<CareActor> team, Instant start, int offset)
      throws SQLException {
    for (int day = 0; day < 21; day++) {
      Instant at = start.plus(Duration.ofDays(day)).plus(Duration.ofHours(1 + (day + offset) % 8));
      String[] note = NOTES.get((day + offset) % NOTES.size());
      CareActor author = team.get(Integer.parseInt(note[0]));
      String postId = CareIds.next();
      List<String> recipients = day == 12 ? List.of(team.get(0).userId(), team.get(1).userId()) : List.of();
      String body = day == 12 ? "（特別便）ご家族の経済的な事情について、医師・看護師にのみ共有します。" : note[2];
      PostSql.insert(c, new PostSql.NewPost(postId, patientId, author, note[1], "note", body, null, null, recipients,
          List.of()), at.toString());
      String[] reply = recipients.isEmpty() ? REPLIES.get((day + offset) % NOTES.size()) : null;
      if (reply != null) {
        PostDetailsSql.insertComment(c, CareIds.next(), postId, team.get(Integer.parseInt(reply[0])), reply[1],
            at.plus(Duration.ofHours(2)).toString());
      }
      if (day % 3 == 1) {
        Vitals v = new Vitals(at.toString(), 118 + (day * 7 + offset * 5) % 30, 66 + (day * 3) % 14,
            64 + (day * 5) % 20, (362 + (day + offset) % 6) / 10.0, 93 + (day + offset) % 5, 45.0 + offset * 6);
        String vitalsPost = CareIds.next();
        PostSql.insert(c, new PostSql.NewPost(vitalsPost, patientId, team.get(1), "バイタル", "vitals", v.summary(),
            null, v.toJson().encode(), List.of(), List.of()), at.plusSeconds(60).toString());
        VitalsSql.insert(c, patientId, vitalsPost, team.get(1).userId(), v);
      }
      if (day < 18) {
        for (CareActor reader : team) {
          PostDetailsSql.markRead(c, patientId, reader.userId(), List.of(postId), at.plusSeconds(3600).toString());
        }
      }
    }
  }

  private static boolean any(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from patients limit 1"); ResultSet rs = s.executeQuery()) {
      return rs.next();
    }
  }

  private static CareActor actor(Connection c, String loginId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, family_name || ' ' || given_name, facility_id,"
        + " profession from users where login_id = ?")) {
      s.setString(1, loginId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("demo account " + loginId + " is missing");
        }
        return new CareActor(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
            rs.getString(4));
      }
    }
  }
}
