package jp.tsunagu.node.review.partner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.identity.Professionals;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfStamp;
import jp.tsunagu.node.storage.Database;

/**
 * The reviewer's node: copies of a partner's released session kept for one of its professionals who
 * sits on that partner's panel, read by her alone, each material stamped with her name and the time and
 * audited here; deleted with their files when the session's node deletes its own.
 */
public final class PartnerCopies {

  /** A material as she opens it. */
  public record Pdf(String title, byte[] bytes) {}

  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter STAMP_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

  private final Database database;
  private final AuditLog audit;
  private final AttachmentFiles files;
  private final Professionals professionals;
  private final java.time.Clock clock;
  private JapanesePdfFont font;

  public PartnerCopies(Database database, AuditLog audit, AttachmentFiles files, Professionals professionals,
      java.time.Clock clock) {
    this.database = database;
    this.audit = audit;
    this.files = files;
    this.professionals = professionals;
    this.clock = clock;
  }

  /**
   * Stores (or replaces) the copies of a verified package for the reviewer it names; returns the files.
   * The opinions held for her stay: a package anew (a material withdrawn) does not change them.
   */
  Future<Integer> store(Vertx vertx, ReviewExchange.MaterialsPackage p) {
    return professionals.find(p.reviewer()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(PartnerErrors.reviewerUnknown());
      }
      for (ReviewExchange.Case k : p.cases()) {
        for (ReviewExchange.Material m : k.materials()) {
          if (AttachmentType.detect(m.content()).filter(t -> t == AttachmentType.PDF).isEmpty()) {
            return Future.failedFuture(PartnerErrors.malformed("material " + m.id() + " is not a PDF"));
          }
        }
      }
      return vertx.executeBlocking(() -> {
        int n = 0;
        for (ReviewExchange.Case k : p.cases()) {
          for (ReviewExchange.Material m : k.materials()) {
            files.store(AttachmentFiles.sha256(m.content()), m.content(), AttachmentType.PDF);
            n++;
          }
        }
        return n;
      }).compose(n -> database.write(c -> {
        List<String> before = hashes(c, p.node(), p.sessionId(), p.reviewer());
        deleteCopies(c, p.node(), p.sessionId(), p.reviewer());
        insert(c, p, Instant.now(clock).toString());
        audit.append(c, AuditEvent.success("node:" + p.node(), "review.partner.package_received",
            "review_partner_session:" + p.node() + "/" + p.sessionId(), new JsonObject().put("reviewer", p.reviewer())
                .put("cases", p.cases().size()).put("materials", n)));
        return before;
      }).compose(before -> vertx.executeBlocking(() -> {
        // A material withdrawn since the last package: its file goes unless another copy names it.
        removeUnused(before);
        return n;
      })));
    });
  }

  /** Deletes every copy of the session held here for any reviewer; returns how many files went. */
  Future<Integer> delete(Vertx vertx, String home, String sessionId) {
    return database.write(c -> {
      List<String> hashes = new ArrayList<>();
      List<String> reviewers = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select distinct reviewer_id from review_partner_sessions"
          + " where home_node = ? and session_id = ?")) {
        s.setString(1, home);
        s.setString(2, sessionId);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            reviewers.add(r.getString(1));
          }
        }
      }
      for (String reviewer : reviewers) {
        hashes.addAll(hashes(c, home, sessionId, reviewer));
        delete(c, home, sessionId, reviewer);
      }
      return hashes;
    }).compose(hashes -> vertx.executeBlocking(() -> removeUnused(hashes)))
        .compose(n -> audit.record(AuditEvent.success("node:" + home, "review.partner.deleted",
            "review_partner_session:" + home + "/" + sessionId, new JsonObject().put("files", n)
                .put("deletedAt", Instant.now(clock).toString()))).map(n));
  }

  /** The review tables this node keeps for partners' sessions, each with a {@code home_node} column. */
  private static final List<String> HELD_TABLES = List.of("review_partner_opinions", "review_partner_opinion_views",
      "review_partner_notices", "review_partner_materials", "review_partner_cases", "review_partner_sessions");

  /** The home nodes of which anything of a review is held here. */
  Future<List<String>> homesHeld() {
    return database.read(c -> {
      List<String> homes = new ArrayList<>();
      String union = String.join(" union ", HELD_TABLES.stream().map(t -> "select home_node from " + t).toList());
      try (PreparedStatement s = c.prepareStatement("select distinct home_node from (" + union + ") order by 1");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          homes.add(r.getString(1));
        }
      }
      return homes;
    });
  }

  /**
   * Drops every review row and material file held here from one home node (its agreement granting
   * {@code certification-review} ended): the home can no longer order the deletion, so nothing of its
   * cases may outlive the agreement here. Audited with the counts; returns how many files went.
   */
  Future<Integer> dropHome(Vertx vertx, String home) {
    JsonObject counts = new JsonObject();
    return database.write(c -> {
      List<String> hashes = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select sha256 from review_partner_materials where home_node = ?")) {
        s.setString(1, home);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            hashes.add(r.getString(1));
          }
        }
      }
      // Children before parents (the copies' foreign keys).
      for (String table : HELD_TABLES) {
        try (PreparedStatement s = c.prepareStatement("delete from " + table + " where home_node = ?")) {
          s.setString(1, home);
          counts.put(countKey(table), s.executeUpdate());
        }
      }
      return hashes;
    }).compose(hashes -> vertx.executeBlocking(() -> removeUnused(hashes)))
        .compose(n -> audit.record(AuditEvent.success("system", "review.partner.home_dropped",
            "review_partner_home:" + home, counts.put("files", n).put("reason", "no agreement grants "
                + "certification-review"))).map(n));
  }

  /** The audit's name for a table's count ("session" would read as a secret to the audit log: 審査会 = sitting). */
  private static String countKey(String table) {
    return switch (table) {
      case "review_partner_sessions" -> "sittings";
      case "review_partner_opinion_views" -> "opinionViews";
      default -> table.substring("review_partner_".length());
    };
  }

  /** The partner sessions held for her, each with its cases and materials (labels only). */
  public Future<JsonObject> sessions(String userId) {
    return database.read(c -> {
      JsonArray out = new JsonArray();
      try (PreparedStatement s = c.prepareStatement("select home_node, session_id, title, starts_at, deadline,"
          + " ends_at, video_url from review_partner_sessions where reviewer_id = ? order by starts_at")) {
        s.setString(1, userId);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            out.add(new JsonObject().put("node", r.getString(1)).put("sessionId", r.getString(2))
                .put("title", r.getString(3)).put("startsAt", r.getString(4)).put("deadline", r.getString(5))
                .put("endsAt", r.getString(6)).put("videoUrl", r.getString(7))
                .put("open", !Instant.now(clock).isAfter(Instant.parse(r.getString(5))))
                .put("cases", cases(c, r.getString(1), r.getString(2), userId)));
          }
        }
      }
      return new JsonObject().put("sessions", out);
    }).compose(json -> audit.record(AuditEvent.success(userId, "review.partner.sessions_read", "review_partner:"
        + userId, new JsonObject().put("held", json.getJsonArray("sessions").size()))).map(json));
  }

  /** Whether a case of the partner's session is held here for her (else the 404 of an unknown case). */
  Future<Void> requireHeld(String userId, String home, String sessionId, String caseId) {
    return database.read(c -> {
      try (PreparedStatement s = c.prepareStatement("select 1 from review_partner_cases where home_node = ?"
          + " and session_id = ? and reviewer_id = ? and case_id = ?")) {
        s.setString(1, home);
        s.setString(2, sessionId);
        s.setString(3, userId);
        s.setString(4, caseId);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw notFound();
          }
          return null;
        }
      }
    });
  }

  /** Opens a copy held for her, stamped with her name and the time; anyone else gets a 404. */
  public Future<Pdf> open(Vertx vertx, String userId, String copyId) {
    Instant now = Instant.now(clock);
    Future<String[]> found = database.read(c -> {
      try (PreparedStatement s = c.prepareStatement("select title, sha256 from review_partner_materials"
          + " where id = ? and reviewer_id = ?")) {
        s.setString(1, copyId);
        s.setString(2, userId);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw notFound();
          }
          return new String[] {r.getString(1), r.getString(2)};
        }
      }
    });
    return found.recover(e -> e instanceof CodedException coded && coded.code().equals("review.not_found")
            ? audit.record(AuditEvent.refused(userId, "review.partner.material.open", "review_partner_material:"
                + copyId, new JsonObject().put("reason", "not_found"))).transform(x -> Future.failedFuture(e))
            : Future.failedFuture(e))
        .compose(row -> professionals.find(userId).compose(me -> vertx.executeBlocking(() -> new Pdf(row[0],
            stamp(Files.readAllBytes(files.file(row[1])), me.map(Professionals.Professional::displayName).orElse(userId)
                + "　閲覧 " + STAMP_TIME.format(now.atZone(JAPAN)))))))
        .compose(pdf -> audit.record(AuditEvent.success(userId, "review.partner.material.opened",
            "review_partner_material:" + copyId, new JsonObject().put("at", now.toString()))).map(pdf));
  }

  private synchronized byte[] stamp(byte[] pdf, String text) {
    try {
      if (font == null) {
        font = JapanesePdfFont.find(JapanesePdfFont.systemFonts());
      }
      return PdfStamp.stamp(font, pdf, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int removeUnused(List<String> hashes) throws SQLException {
    List<String> unused = database.submitRead(c -> {
      List<String> out = new ArrayList<>();
      for (String hash : hashes.stream().distinct().toList()) {
        try (PreparedStatement s = c.prepareStatement("select 1 from review_partner_materials where sha256 = ?")) {
          s.setString(1, hash);
          try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              out.add(hash);
            }
          }
        }
      }
      return out;
    }).join();
    unused.forEach(files::delete);
    return unused.size();
  }

  private static JsonArray cases(Connection c, String home, String session, String reviewer) throws SQLException {
    JsonArray out = new JsonArray();
    try (PreparedStatement s = c.prepareStatement("select case_id, label, first_level, special_notes"
        + " from review_partner_cases where home_node = ? and session_id = ? and reviewer_id = ? order by ordinal")) {
      s.setString(1, home);
      s.setString(2, session);
      s.setString(3, reviewer);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          JsonArray materials = new JsonArray();
          try (PreparedStatement m = c.prepareStatement("select id, kind, title, size from review_partner_materials"
              + " where home_node = ? and session_id = ? and reviewer_id = ? and case_id = ? order by title")) {
            m.setString(1, home);
            m.setString(2, session);
            m.setString(3, reviewer);
            m.setString(4, r.getString(1));
            try (ResultSet mr = m.executeQuery()) {
              while (mr.next()) {
                materials.add(new JsonObject().put("id", mr.getString(1)).put("kind", mr.getString(2))
                    .put("title", mr.getString(3)).put("size", mr.getLong(4)));
              }
            }
          }
          out.add(PartnerOpinions.addTo(c, home, session, reviewer, new JsonObject().put("caseId", r.getString(1))
              .put("label", r.getString(2)).put("firstLevel", r.getString(3)).put("specialNotes", r.getString(4))
              .put("materials", materials)));
        }
      }
    }
    return out;
  }

  private static List<String> hashes(Connection c, String home, String session, String reviewer) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select sha256 from review_partner_materials"
        + " where home_node = ? and session_id = ? and reviewer_id = ?")) {
      s.setString(1, home);
      s.setString(2, session);
      s.setString(3, reviewer);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  private static void delete(Connection c, String home, String session, String reviewer) throws SQLException {
    PartnerOpinions.delete(c, home, session, reviewer);
    deleteCopies(c, home, session, reviewer);
  }

  private static void deleteCopies(Connection c, String home, String session, String reviewer) throws SQLException {
    for (String table : List.of("review_partner_materials", "review_partner_cases", "review_partner_sessions")) {
      try (PreparedStatement s = c.prepareStatement("delete from " + table
          + " where home_node = ? and session_id = ? and reviewer_id = ?")) {
        s.setString(1, home);
        s.setString(2, session);
        s.setString(3, reviewer);
        s.executeUpdate();
      }
    }
  }

  private static void insert(Connection c, ReviewExchange.MaterialsPackage p, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into review_partner_sessions (home_node, session_id,"
        + " reviewer_id, title, starts_at, deadline, received_at, ends_at, video_url)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, p.node());
      s.setString(2, p.sessionId());
      s.setString(3, p.reviewer());
      s.setString(4, p.title());
      s.setString(5, p.startsAt().toString());
      s.setString(6, p.deadline().toString());
      s.setString(7, now);
      s.setString(8, p.endsAt() == null ? null : p.endsAt().toString());
      s.setString(9, p.videoUrl() == null ? "" : p.videoUrl());
      s.executeUpdate();
    }
    int ordinal = 0;
    for (ReviewExchange.Case k : p.cases()) {
      try (PreparedStatement s = c.prepareStatement("insert into review_partner_cases (home_node, session_id,"
          + " reviewer_id, case_id, ordinal, label, first_level, special_notes) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
        s.setString(1, p.node());
        s.setString(2, p.sessionId());
        s.setString(3, p.reviewer());
        s.setString(4, k.id());
        s.setInt(5, ++ordinal);
        s.setString(6, k.label());
        s.setString(7, k.firstLevel());
        s.setString(8, k.specialNotes());
        s.executeUpdate();
      }
      for (ReviewExchange.Material m : k.materials()) {
        try (PreparedStatement s = c.prepareStatement("insert into review_partner_materials (id, home_node,"
            + " session_id, reviewer_id, case_id, material_id, kind, title, sha256, size)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          s.setString(1, UUID.randomUUID().toString());
          s.setString(2, p.node());
          s.setString(3, p.sessionId());
          s.setString(4, p.reviewer());
          s.setString(5, k.id());
          s.setString(6, m.id());
          s.setString(7, m.kind());
          s.setString(8, m.title());
          s.setString(9, AttachmentFiles.sha256(m.content()));
          s.setLong(10, m.content().length);
          s.executeUpdate();
        }
      }
    }
  }

  static CodedException notFound() {
    return CodedException.notFound("review.not_found", "審査会または事例が見つかりません。");
  }
}
