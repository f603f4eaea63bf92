package jp.tsunagu.node.care;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * The care core's figures for the usage report, for the patients this node is the home of in one
 * municipality: patients (registered, new, archived, teams with a post in the window), posts, comments
 * and attachments written in the window, the share of those posts read by someone other than the
 * author, and the median minutes to that first read. Counts only: no patient is named or identified.
 */
public final class CareFigures implements UsageFigures {

  /** The boards of this node's own patients of one municipality (replicas are the home node's to count). */
  private static final String BOARDS = "select p.id from patients p join care_boards b on b.id = p.id"
      + " where b.home_node is null and p.municipality_code = ?";

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of();
    }
    String code = municipality.get();
    String from = w.fromText();
    String to = w.toText();
    List<Figure> out = new ArrayList<>();
    out.add(new Figure("care.patients", "登録患者", number(c, "select count(*) from patients p join care_boards b"
        + " on b.id = p.id where b.home_node is null and p.municipality_code = ? and p.created_at < ?", code, to)));
    out.add(new Figure("care.patients_new", "新規患者", number(c, "select count(*) from patients p join care_boards b"
        + " on b.id = p.id where b.home_node is null and p.municipality_code = ? and p.created_at >= ?"
        + " and p.created_at < ?", code, from, to)));
    out.add(new Figure("care.patients_archived", "アーカイブした患者", number(c, "select count(*) from patients p"
        + " join care_boards b on b.id = p.id where b.home_node is null and p.municipality_code = ?"
        + " and p.status = 'archived' and p.updated_at >= ? and p.updated_at < ?", code, from, to)));
    out.add(new Figure("care.teams_active", "記事のあったチーム", number(c, "select count(distinct board_id) from posts"
        + " where board_id in (" + BOARDS + ") and created_at >= ? and created_at < ?", code, from, to)));
    out.add(new Figure("care.posts", "記事", number(c, "select count(*) from posts where board_id in (" + BOARDS
        + ") and status = 'active' and created_at >= ? and created_at < ?", code, from, to)));
    out.add(new Figure("care.comments", "コメント", number(c, "select count(*) from comments where post_id in"
        + " (select id from posts where board_id in (" + BOARDS + ")) and created_at >= ? and created_at < ?",
        code, from, to)));
    out.add(new Figure("care.attachments", "添付ファイル", number(c, "select count(*) from attachments where post_id in"
        + " (select id from posts where board_id in (" + BOARDS + ")) and uploaded_at >= ? and uploaded_at < ?",
        code, from, to)));
    reads(c, code, w, out);
    return out;
  }

  /** 既読: per post of the window, the first read by anyone but its author. */
  private static void reads(Connection c, String code, Window w, List<Figure> out) throws SQLException {
    long posts = 0;
    List<Long> minutes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select p.created_at, (select min(r.read_at) from post_reads r"
        + " where r.post_id = p.id and r.user_id <> p.author_id) from posts p where p.board_id in (" + BOARDS + ")"
        + " and p.status = 'active' and p.created_at >= ? and p.created_at < ?")) {
      s.setString(1, code);
      s.setString(2, w.fromText());
      s.setString(3, w.toText());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          posts++;
          if (rs.getString(2) != null) {
            minutes.add(Math.max(0, Duration.between(Instant.parse(rs.getString(1)), Instant.parse(rs.getString(2)))
                .toMinutes()));
          }
        }
      }
    }
    out.add(new Figure("care.read_rate_percent", "既読率（%）", posts == 0 ? 0 : Math.round(100.0 * minutes.size() / posts)));
    Collections.sort(minutes);
    out.add(new Figure("care.first_read_median_minutes", "初回既読までの時間（中央値・分）",
        minutes.isEmpty() ? 0 : minutes.get(minutes.size() / 2)));
  }
}
