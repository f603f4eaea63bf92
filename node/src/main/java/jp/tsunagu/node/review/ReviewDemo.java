package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.meetings.VideoLinks;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfLines;

/**
 * The demo's review board on 伊那市 (the Kamiina demo's ina node): 第1合議体 of five reviewers (the demo
 * clinic's doctor as chair, its nurse as deputy, a dentist, a social worker and, once the federation's
 * agreement holds, a partner node's professional: the wide-area union case), a session in three days with
 * ten fictional applicants from real 地区 of 伊那市, a generated 主治医意見書 PDF per case, released, and the
 * pre-review under way (two reviewers through most cases, one started). Seeded once; a node other than
 * ina has none.
 */
final class ReviewDemo {

  private static final String[] DISTRICTS = {"西箕輪", "手良", "美篶", "富県", "東春近", "西春近", "新山", "高遠町", "長谷",
      "伊那"};
  private static final String[] NAMES = {"城倉 ハル", "矢島 茂", "井口 トシ", "平沢 正一", "福沢 キヨ", "中山 勝",
      "松沢 フミ", "宮原 久雄", "有賀 タマ", "小松 義男"};
  private static final String[] LEVELS = {"care_1", "support_2", "care_2", "care_3", "care_1", "care_4", "support_1",
      "care_2", "care_5", "care_1"};
  private static final String[] NOTES = {"夜間にトイレへ3回起きる。ふらつきがある。", "買い物は家族が同行する。",
      "服薬の飲み忘れが週に2回ある。", "入浴は全介助。", "日中はデイサービスに通う。", "寝返りに介助が必要。",
      "調理は自分でできる。", "物忘れがあり、同じ話を繰り返す。", "経管栄養。", "屋外歩行に杖を使う。"};
  /** 伊那市's demo people who sit on the panel: login suffix, qualification, position. */
  private static final String[][] SEATS = {{"ishi", "doctor", "chair"}, {"kango", "nurse", "deputy"},
      {"shika", "dentist", "member"}, {"shakai", "social_worker", "member"}};

  private ReviewDemo() {}

  static void seed(NodeServices services, Professionals professionals, AttachmentFiles files, VideoLinks videoLinks) {
    String node = services.config().node().name();
    if (!node.equals("ina") || await(services.database().read(c -> !ReviewSql.panels(c).isEmpty()))) {
      return;
    }
    List<ReviewSql.Appointment> appointments = new ArrayList<>();
    for (String[] seat : SEATS) {
      Professionals.Professional p = await(professionals.findByLogin(node + "-" + seat[0])).orElse(null);
      if (p == null) {
        return; // the demo's accounts are made by the identity feature first; without them there is no panel
      }
      appointments.add(new ReviewSql.Appointment(ReviewIds.next(), node, p.userId(), p.displayName(), seat[1],
          "2026-04-01", "2028-03-31", null));
    }
    JapanesePdfFont font = JapanesePdfFont.find(JapanesePdfFont.systemFonts());
    List<byte[]> pdfs = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      pdfs.add(opinionPdf(font, i));
    }
    pdfs.forEach(pdf -> files.store(AttachmentFiles.sha256(pdf), pdf, AttachmentType.PDF));
    Instant now = Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS);
    Instant starts = LocalDate.now(services.clock().withZone(ReviewAccess.JAPAN)).plusDays(3).atTime(LocalTime.of(14, 0))
        .atZone(ReviewAccess.JAPAN).toInstant();
    await(services.database().write(c -> {
      ReviewSql.Panel panel = new ReviewSql.Panel(ReviewIds.next(), 1, "第1合議体", 3);
      ReviewSql.insertPanel(c, panel, "demo", now.toString());
      List<ReviewSql.Member> members = new ArrayList<>();
      for (int i = 0; i < SEATS.length; i++) {
        ReviewSql.insertAppointment(c, appointments.get(i), "demo", now.toString());
        members.add(new ReviewSql.Member(panel.id(), appointments.get(i), SEATS[i][2]));
      }
      ReviewSql.replaceMembers(c, panel.id(), members, now.toString());
      VideoLinks.Video video = videoLinks.issue("jitsi", "");
      ReviewSql.Session session = new ReviewSql.Session(ReviewIds.next(), panel.id(), starts.toString(),
          starts.plus(2, ChronoUnit.HOURS).toString(), starts.minus(1, ChronoUnit.DAYS).toString(), video.provider(),
          video.url(), null, null, null);
      ReviewSql.insertSession(c, session, "demo", now.toString());
      ReviewSql.release(c, session.id(), now.toString());
      for (int i = 0; i < NAMES.length; i++) {
        ReviewSql.Case k = new ReviewSql.Case(ReviewIds.next(), session.id(), i + 1, String.format("2026-%04d", 301 + i),
            NAMES[i], "伊那市" + DISTRICTS[i] + (1000 + i * 37), String.format("00020%05d", 4101 + i), "北原 健一",
            "伊那市在宅医療連携クリニック", LEVELS[i], 30 + i * 9, new JsonObject().put("group1", 60 + i).put("group2", 75)
                .put("group3", 80 - i).put("group4", 70).put("group5", 55), NOTES[i], null, null, null, null);
        ReviewSql.insertCase(c, k);
        byte[] pdf = pdfs.get(i);
        ReviewSql.insertMaterial(c, new ReviewSql.Material(ReviewIds.next(), k.id(), "doctor_opinion", "主治医意見書",
            AttachmentFiles.sha256(pdf), pdf.length, null), "demo", now.toString());
        // The pre-review under way: the chair and the deputy through eight cases, the dentist through three.
        for (int m : new int[] {0, 1, 2}) {
          if (i < (m == 2 ? 3 : 8)) {
            boolean agrees = !(m == 1 && i == 5);
            ReviewSql.upsertOpinion(c, new ReviewSql.Opinion(k.id(), appointments.get(m).id(), agrees,
                agrees ? LEVELS[i] : "care_5", agrees ? "" : "special_notes_more", 12, agrees ? "" : "夜間の介護の手間が大きい",
                now.toString()));
          }
        }
      }
      return null;
    }));
  }

  /**
   * The fifth seat: a professional of a partner node (her node's name, her user id there), appointed for
   * the demo's term and seated on 第1合議体; the released session's package is queued to her node in the
   * same write. Nothing when the panel is not seeded here or she already sits on it.
   */
  static boolean seatPartner(NodeServices services, PartnerPackages packages, String partnerNode, String userId,
      String displayName, String qualification) {
    String now = Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
    return await(services.database().write(c -> {
      List<ReviewSql.Panel> panels = ReviewSql.panels(c);
      if (panels.isEmpty()) {
        return false;
      }
      ReviewSql.Panel panel = panels.get(0);
      List<ReviewSql.Member> members = new ArrayList<>(ReviewSql.members(c, panel.id()));
      if (members.stream().anyMatch(m -> m.appointment().nodeId().equals(partnerNode))) {
        return false;
      }
      ReviewSql.Appointment a = new ReviewSql.Appointment(ReviewIds.next(), partnerNode, userId, displayName,
          qualification, "2026-04-01", "2028-03-31", null);
      ReviewSql.insertAppointment(c, a, "demo", now);
      members.add(new ReviewSql.Member(panel.id(), a, "member"));
      ReviewSql.replaceMembers(c, panel.id(), members, now);
      for (ReviewSql.Session s : ReviewSql.sessions(c)) {
        if (s.panelId().equals(panel.id())) {
          packages.queue(c, s);
        }
      }
      return true;
    }));
  }

  private static byte[] opinionPdf(JapanesePdfFont font, int i) {
    try {
      return PdfLines.render(font, lines -> {
        lines.line("主治医意見書（デモ・架空の内容）", 16);
        lines.rule();
        lines.line("傷病名：" + (i % 2 == 0 ? "脳梗塞後遺症" : "変形性膝関節症") + "　症状としての安定性：安定", 11);
        lines.wrapped("心身の状態：" + NOTES[i] + " 認知症高齢者の日常生活自立度 " + (i % 3 == 0 ? "IIa" : "I") + "。", 11);
        lines.wrapped("特記すべき事項：通院は家族の送迎による。", 11);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("seeding the demo review board did not finish within 30 s", e);
    }
  }
}
