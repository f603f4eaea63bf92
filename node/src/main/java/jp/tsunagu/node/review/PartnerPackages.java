package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.federation.wire.ReviewExchange;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.review.partner.PartnerSender;
import jp.tsunagu.node.storage.Database;

/**
 * The home's side of partner reviewers: once a session's materials are released, each member of its
 * panel from a partner node gets a package of the cases (labels only) and their materials on her node;
 * when the session's materials are deleted here, those nodes are told to delete their copies.
 */
final class PartnerPackages {

  private final Database database;
  private final AttachmentFiles files;
  private final PartnerSender sender;

  PartnerPackages(Database database, AttachmentFiles files, PartnerSender sender) {
    this.database = database;
    this.files = files;
    this.sender = sender;
  }

  /** Sends the packages of a released session; one answer code per partner reviewer. */
  Future<List<String>> released(Vertx vertx, String sessionId) {
    Instant now = sender.now();
    return database.read(c -> {
      List<ReviewExchange.MaterialsPackage> out = new ArrayList<>();
      ReviewSql.Session s = ReviewSql.session(c, sessionId).orElse(null);
      if (s == null || s.purgedAt() != null || s.releaseAt() == null || Instant.parse(s.releaseAt()).isAfter(now)) {
        return out;
      }
      ReviewSql.Panel panel = ReviewSql.panel(c, s.panelId()).orElseThrow();
      List<ReviewExchange.Case> cases = new ArrayList<>();
      for (ReviewSql.Case k : ReviewSql.cases(c, sessionId)) {
        List<ReviewExchange.Material> materials = new ArrayList<>();
        for (ReviewSql.Material m : ReviewSql.materials(c, k.id())) {
          if (m.withdrawnAt() == null) {
            materials.add(new ReviewExchange.Material(m.id(), m.kind(), m.title(), read(m.sha256())));
          }
        }
        cases.add(new ReviewExchange.Case(k.id(), ReviewAccess.label(panel, s, k.ordinal()), k.firstLevel(),
            k.specialNotes(), List.copyOf(materials)));
      }
      String title = "第" + panel.number() + "合議体 " + panel.name();
      for (ReviewSql.Member m : ReviewSql.members(c, s.panelId())) {
        ReviewSql.Appointment a = m.appointment();
        if (!a.nodeId().equals(sender.self()) && a.endedAt() == null) {
          out.add(new ReviewExchange.MaterialsPackage(sender.self(), a.nodeId(), a.userId(), sessionId, title,
              Instant.parse(s.startsAt()), Instant.parse(s.deadline()), List.copyOf(cases), now));
        }
      }
      return out;
    }).compose(packages -> {
      List<Future<String>> sent = packages.stream()
          .map(p -> sender.sendPackage(vertx, p, "review_session:" + sessionId)).toList();
      return Future.all(sent).map(all -> sent.stream().map(Future::result).toList());
    });
  }

  /** The partner nodes holding copies of the session, read before the deletion empties the panel's traces. */
  List<String> partnerNodes(java.sql.Connection c, ReviewSql.Session s) throws java.sql.SQLException {
    return ReviewSql.members(c, s.panelId()).stream().map(m -> m.appointment().nodeId())
        .filter(node -> !node.equals(sender.self())).distinct().toList();
  }

  Future<List<String>> deleted(Vertx vertx, String sessionId, List<String> nodes) {
    List<Future<String>> sent = nodes.stream().map(node -> sender.sendDeletion(vertx, node, sessionId)).toList();
    return Future.all(sent).map(all -> sent.stream().map(Future::result).toList());
  }

  private byte[] read(String hash) {
    try {
      return Files.readAllBytes(files.file(hash));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read review material " + hash, e);
    }
  }
}
