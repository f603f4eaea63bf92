package jp.tsunagu.node.meetings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * What a member of this node sent to a partner's home node about a meeting (set up, changed,
 * cancelled, minutes; migrations V256, V261), keyed by the notice the event carries: 送信待ち until the home node
 * answers; removed when it took it (the meeting comes back in the team's events), kept as refused
 * (送信できませんでした) with the home node's code and its reason in Japanese when it refused it.
 */
final class MeetingSubmissions {

  /** The reasons her screen gives for the home node's codes; any other code reads as the last line. */
  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("meetings.in_past", "会議の日時が過ぎていました。"),
      Map.entry("meetings.ends_before_start", "終了が開始より前でした。"),
      Map.entry("meetings.invalid_kind", "会議の種類が登録先の地域で使えませんでした。"),
      Map.entry("meetings.invalid_time", "日付と開始時刻が読み取れませんでした。"),
      Map.entry("meetings.title_required", "会議名がありませんでした。"),
      Map.entry("meetings.place_required", "開催場所がありませんでした。"),
      Map.entry("meetings.participant_not_member", "参加者にチームのメンバーでない人がいました。"),
      Map.entry("meetings.link_not_https", "ビデオ会議のリンクが https ではありませんでした。"),
      Map.entry("meetings.provider_not_allowed", "登録先の地域ではこのビデオ会議サービスを使えません。"),
      Map.entry("meetings.board_archived", "このチームは終了しています。"),
      Map.entry("meetings.not_found", "会議が登録先の地域にありませんでした。"),
      Map.entry("meetings.not_organizer", "会議を変更・中止できるのは設定した人だけです。"),
      Map.entry("meetings.cancelled", "会議はすでに中止されていました。"),
      Map.entry("meetings.ended", "会議はすでに終わっていました。"),
      Map.entry("meetings.not_started", "会議がまだ始まっていませんでした。"),
      Map.entry("meetings.minutes_required", "議事録がありませんでした。"),
      Map.entry("sync.not_a_member", "送信した時点でチームのメンバーではありませんでした。"),
      Map.entry("sync.object_exists", "同じ会議がすでに登録先の地域にありました。"));

  private MeetingSubmissions() {}

  static void pending(Connection c, String noticeId, String meetingId, String boardId, String userId, String action,
      String title, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into meeting_submissions (notice_id, meeting_id, board_id,"
        + " user_id, action, title, state, submitted_at) values (?, ?, ?, ?, ?, ?, 'pending', ?)")) {
      s.setString(1, noticeId);
      s.setString(2, meetingId);
      s.setString(3, boardId);
      s.setString(4, userId);
      s.setString(5, action);
      s.setString(6, title);
      s.setString(7, now);
      s.executeUpdate();
    }
  }

  /** The home node took it: what every node keeps is the meeting itself now. */
  static void taken(Connection c, String noticeId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from meeting_submissions where notice_id = ?")) {
      s.setString(1, noticeId);
      s.executeUpdate();
    }
  }

  static void refused(Connection c, String noticeId, String code, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update meeting_submissions set state = 'refused', code = ?,"
        + " settled_at = ? where notice_id = ? and state = 'pending'")) {
      s.setString(1, code);
      s.setString(2, now);
      s.setString(3, noticeId);
      s.executeUpdate();
    }
  }

  /** Her sends on a board (or of one meeting, when {@code meetingId} is not null), newest first. */
  static JsonArray of(Connection c, String boardId, String userId, String meetingId) throws SQLException {
    JsonArray list = new JsonArray();
    try (PreparedStatement s = c.prepareStatement("select notice_id, meeting_id, action, title, state, code,"
        + " submitted_at from meeting_submissions where board_id = ? and user_id = ?"
        + (meetingId == null ? "" : " and meeting_id = ?") + " order by submitted_at desc, rowid desc limit 50")) {
      s.setString(1, boardId);
      s.setString(2, userId);
      if (meetingId != null) {
        s.setString(3, meetingId);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String code = rs.getString(6);
          list.add(new JsonObject().put("id", rs.getString(1)).put("meetingId", rs.getString(2))
              .put("action", rs.getString(3)).put("title", rs.getString(4))
              .put("syncState", rs.getString(5).equals("refused") ? "rejected" : "pending").put("code", code)
              .put("reason", code == null ? null : reason(code)).put("submittedAt", rs.getString(7)));
        }
      }
    }
    return list;
  }

  static String reason(String code) {
    return REASONS.getOrDefault(code, "登録先の地域で受け付けられませんでした（" + code + "）。");
  }
}
