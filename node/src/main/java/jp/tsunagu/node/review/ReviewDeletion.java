package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.feature.NodeServices;

/**
 * 自動削除: {@code review.deleteAfterDays} after a session's result is confirmed, its materials and
 * opinions go from the database and their files from the store, and the cases keep only the case number
 * and the 二次判定. One audit entry per session says what went, when and how many files.
 */
final class ReviewDeletion {

  /** What one sweep deleted. */
  record Swept(int sessions, int files) {}

  private final NodeServices services;
  private final AuditLog audit;
  private final AttachmentFiles files;
  private final Duration after;
  private final PartnerPackages partners;
  private final StampedCopies copies;

  ReviewDeletion(NodeServices services, AuditLog audit, AttachmentFiles files, PartnerPackages partners,
      StampedCopies copies) {
    this.services = services;
    this.copies = copies;
    this.partners = partners;
    this.audit = audit;
    this.files = files;
    this.after = Duration.ofDays(services.config().review().deleteAfterDays());
  }

  /** Deletes every session due; rows first (in one write per session), then the files no row names. */
  Future<Swept> sweep(Vertx vertx) {
    Instant now = Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS);
    return services.database().read(c -> ReviewSql.dueForDeletion(c, now.minus(after).toString()))
        .compose(due -> {
          Future<Swept> chain = Future.succeededFuture(new Swept(0, 0));
          for (ReviewSql.Session s : due) {
            chain = chain.compose(total -> purge(vertx, s, now).map(n -> new Swept(total.sessions() + 1,
                total.files() + n)));
          }
          // Then every delivery due: the new deletion orders and those partners have not confirmed yet.
          return chain.compose(swept -> partners.deliverDue(vertx).map(swept));
        });
  }

  private Future<Integer> purge(Vertx vertx, ReviewSql.Session s, Instant now) {
    // The partner nodes whose reviewers hold copies are told once the rows here are gone; the orders are
    // queued in the purge's own write, so none is lost if a partner is down or this node stops.
    return services.database().write(c -> {
      List<ReviewSql.Material> materials = ReviewSql.materialsOfSession(c, s.id());
      List<String> hashes = materials.stream().map(ReviewSql.Material::sha256).distinct().toList();
      List<String> unused = new java.util.ArrayList<>();
      for (String hash : hashes) {
        if (!ReviewSql.hashUsedOutside(c, hash, s.id())) {
          unused.add(hash);
        }
      }
      int opinions = ReviewSql.opinionCount(c, s.id());
      partners.purging(c, s, now);
      ReviewSql.purge(c, s.id(), now.toString());
      audit.append(c, AuditEvent.success("review-deletion", "review.deleted", "review_session:" + s.id(),
          new JsonObject().put("materials", materials.size()).put("opinions", opinions).put("files", unused.size())
              .put("confirmedAt", s.confirmedAt()).put("deletedAt", now.toString())));
      materials.forEach(m -> copies.dropMaterial(m.id()));
      return unused;
    }).compose(unused -> vertx.executeBlocking(() -> {
      unused.forEach(files::delete);
      return unused.size();
    }));
  }
}
