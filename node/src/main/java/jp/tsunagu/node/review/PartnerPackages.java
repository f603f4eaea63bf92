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
import jp.tsunagu.node.review.partner.DeliveryTimer;
import jp.tsunagu.node.review.partner.PartnerDeliveries;
import jp.tsunagu.node.review.partner.PartnerSender;
import jp.tsunagu.node.storage.Database;

/**
 * The home's side of partner reviewers: once a session's materials are released, each member of its
 * panel from a partner node gets a package of the cases (labels only) and their materials on her node;
 * when the session's materials are deleted here, those nodes are told to delete their copies. Both go
 * through {@link PartnerDeliveries}, so each is sent again until the partner confirms it.
 */
final class PartnerPackages {

  private final Database database;
  private final AttachmentFiles files;
  private final PartnerSender sender;
  private final PartnerDeliveries deliveries;
  private final PartnerViews views;
  private Future<List<PartnerDeliveries.Sent>> last = Future.succeededFuture(List.of());

  PartnerPackages(Database database, AttachmentFiles files, PartnerSender sender, PartnerDeliveries deliveries,
      PartnerViews views) {
    this.views = views;
    this.database = database;
    this.files = files;
    this.sender = sender;
    this.deliveries = deliveries;
  }

  /**
   * Queues, in the release's own write, the session's packages to every partner node of its panel, due at
   * the release time (so a release set for later reaches the partners when it takes effect).
   */
  void queue(java.sql.Connection c, ReviewSql.Session s) throws java.sql.SQLException {
    if (s.purgedAt() != null || s.releaseAt() == null) {
      return;
    }
    for (String node : partnerNodes(c, s)) {
      PartnerDeliveries.enqueue(c, node, s.id(), PartnerDeliveries.PACKAGE, Instant.parse(s.releaseAt()),
          sender.now());
    }
  }

  /** After a release: sends what is due now; one answer code per partner node of this session tried now. */
  Future<List<String>> released(Vertx vertx, String sessionId) {
    return deliverDue(vertx).map(sent -> sent.stream()
        .filter(d -> d.delivery().sessionId().equals(sessionId)).map(PartnerDeliveries.Sent::code).toList());
  }

  /**
   * Sends every package, view and deletion order due, including those a partner has not confirmed yet;
   * one run at a time (the release, an opinion's timer and the sweep may ask at once), so no delivery is
   * tried twice over; then the delivery timer is set to the next one due.
   */
  synchronized Future<List<PartnerDeliveries.Sent>> deliverDue(Vertx vertx) {
    Future<List<PartnerDeliveries.Sent>> run = last.transform(before -> deliveries.deliverDue(sender.now(),
        p -> switch (p.kind()) {
          case PartnerDeliveries.DELETION -> sender.sendDeletion(vertx, p.partner(), p.sessionId());
          case PartnerDeliveries.OPINIONS -> sendViews(vertx, p.sessionId(), p.partner());
          default -> sendPackages(vertx, p.sessionId(), p.partner());
        })).onComplete(done -> DeliveryTimer.poke(vertx));
    last = run;
    return run;
  }

  /**
   * Queues, in an opinion's own write, the session's views to every partner node of its panel, due now;
   * before the release there is nothing to send (the package brings the views when it goes).
   */
  void opinionRecorded(java.sql.Connection c, ReviewSql.Session s) throws java.sql.SQLException {
    if (s.purgedAt() != null || s.releaseAt() == null || Instant.parse(s.releaseAt()).isAfter(sender.now())) {
      return;
    }
    for (String node : partnerNodes(c, s)) {
      PartnerDeliveries.enqueue(c, node, s.id(), PartnerDeliveries.OPINIONS, sender.now(), sender.now());
    }
  }

  /** After an opinion is committed: the timer sends the views now (the opinion's context has the Vert.x). */
  void afterOpinion() {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context != null) {
      DeliveryTimer.poke(context.owner());
    }
  }

  /** Sends the session's opinions, as each may see them, to its reviewers on one partner node. */
  private Future<String> sendViews(Vertx vertx, String sessionId, String node) {
    return views.forNode(sessionId, node).compose(list -> {
      Future<String> chain = Future.succeededFuture("ok");
      for (ReviewExchange.OpinionsView v : list) {
        chain = chain.compose(before -> sender.sendView(vertx, v).map(code -> before.equals("ok") ? code : before));
      }
      return chain;
    });
  }

  /** Sends the session's packages to the reviewers on one partner node; {@code ok} once all are stored. */
  private Future<String> sendPackages(Vertx vertx, String sessionId, String node) {
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
      // A panel's name defaults to its number's own text (第4合議体): the heading names it once.
      String numbered = "第" + panel.number() + "合議体";
      String title = panel.name().startsWith(numbered) ? panel.name() : numbered + " " + panel.name();
      for (ReviewSql.Member m : ReviewSql.members(c, s.panelId())) {
        ReviewSql.Appointment a = m.appointment();
        if (a.nodeId().equals(node) && a.endedAt() == null) {
          out.add(new ReviewExchange.MaterialsPackage(sender.self(), a.nodeId(), a.userId(), sessionId, title,
              Instant.parse(s.startsAt()), Instant.parse(s.deadline()), List.copyOf(cases), now,
              Instant.parse(s.endsAt()), s.videoUrl()));
        }
      }
      return out;
    }).compose(packages -> {
      // Each reviewer on that node gets hers even when another's is refused (one whom her node no longer
      // knows must not keep the others from their materials); the first refusal is the delivery's answer.
      Future<String> chain = Future.succeededFuture("ok");
      for (ReviewExchange.MaterialsPackage p : packages) {
        chain = chain.compose(before -> sender.sendPackage(vertx, p, "review_session:" + sessionId)
            .compose(code -> code.equals("ok") ? sendView(vertx, sessionId, node, p.reviewer()) : Future
                .succeededFuture(code))
            .map(code -> before.equals("ok") ? code : before));
      }
      return chain;
    });
  }

  /** Her earlier opinions and, where she may, the others' follow her copies (a package sent anew too). */
  private Future<String> sendView(Vertx vertx, String sessionId, String node, String reviewer) {
    return views.forNode(sessionId, node).compose(list -> list.stream().filter(v -> v.reviewer().equals(reviewer))
        .findFirst().map(v -> sender.sendView(vertx, v)).orElse(Future.succeededFuture("ok")));
  }

  /** The session's deliveries given up, each with its reason in Japanese, for the secretariat's screen. */
  Future<io.vertx.core.json.JsonArray> givenUp(String sessionId) {
    return database.read(c -> {
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      PartnerDeliveries.givenUp(c, sessionId).forEach(g -> out.add(g.json()));
      return out;
    });
  }

  /** How many deliveries are given up per session, for the secretariat's list of sessions. */
  Future<java.util.Map<String, Integer>> givenUpBySession() {
    return database.read(PartnerDeliveries::givenUpBySession);
  }

  /** The partner nodes holding copies of the session, read before the deletion empties the panel's traces. */
  List<String> partnerNodes(java.sql.Connection c, ReviewSql.Session s) throws java.sql.SQLException {
    return ReviewSql.members(c, s.panelId()).stream().map(m -> m.appointment().nodeId())
        .filter(node -> !node.equals(sender.self())).distinct().toList();
  }

  /**
   * Queues, in the purge's transaction, a deletion order to every partner node of the session; it stays
   * until the partner confirms, so a node that is down at the purge still deletes its copies later.
   */
  void purging(java.sql.Connection c, ReviewSql.Session s, Instant now) throws java.sql.SQLException {
    PartnerDeliveries.dropPackages(c, s.id());
    for (String node : partnerNodes(c, s)) {
      PartnerDeliveries.enqueue(c, node, s.id(), PartnerDeliveries.DELETION, now, now);
    }
  }

  private byte[] read(String hash) {
    try {
      return Files.readAllBytes(files.file(hash));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read review material " + hash, e);
    }
  }
}
