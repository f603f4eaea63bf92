package jp.tsunagu.node.federation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Scopes;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.wire.ResourceListing;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.resources.PartnerResources;
import jp.tsunagu.node.resources.ResourceListings;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a read-only copy of each partner's published resources while an agreement with the
 * {@code resources-directory} scope is active: pulls the partner's signed listing, verifies it
 * against the partner's key from the agreement, validates every resource, stores the listing as
 * signed and shows it on the portal. When the agreement ends for a partner (withdrawal, expiry, a
 * version without the scope) its copy is hidden at the next read and deleted, audited.
 */
public final class PartnerResourceSync {

  private static final Logger LOG = LoggerFactory.getLogger(PartnerResourceSync.class);
  /** How long one partner may take to hand over its listing. */
  static final long PULL_TIMEOUT_MILLIS = 15_000;

  /** The last pull from one partner. */
  record Status(String node, Instant attemptedAt, Optional<Instant> fetchedAt, int resources, int rejected,
      Optional<String> problem) {

    JsonObject toJson() {
      return new JsonObject().put("node", node).put("attemptedAt", attemptedAt.toString())
          .put("fetchedAt", fetchedAt.map(Instant::toString).orElse(null)).put("resources", resources)
          .put("rejected", rejected).put("problem", problem.orElse(null));
    }
  }

  private final Federation federation;
  private final PartnerResources copies;
  private final Database database;
  private final AuditLog audit;
  private final ScopedPartners scoped;
  private final Map<String, Status> statuses = new ConcurrentHashMap<>();
  private final LazyFederationClient client;

  public PartnerResourceSync(NodeServices services, Federation federation, PartnerResources copies) {
    this.federation = federation;
    this.client = new LazyFederationClient(federation);
    this.copies = copies;
    this.database = services.database();
    this.audit = new AuditLog(database, services.clock());
    this.scoped = new ScopedPartners(federation);
    copies.gate(node -> scoped.allows(node, Scopes.RESOURCES_DIRECTORY));
  }

  /** Shows the listings kept from before a restart that still verify and are still allowed. */
  Future<Void> loadStored() {
    return purge().compose(ignored -> database.read(PartnerResourceSql::all)).map(rows -> {
      for (PartnerResourceSql.Stored row : rows) {
        scoped.partner(row.node(), Scopes.RESOURCES_DIRECTORY).ifPresent(card -> {
          try {
            show(card, verify(row.listing(), card), row.fetchedAt());
          } catch (ProtocolException e) {
            LOG.warn("the stored listing of {} no longer verifies and is not shown: {}", row.node(), e.code());
          }
        });
      }
      return null;
    });
  }

  /** Pulls every partner with the scope, all at once; never fails for a partner's sake. */
  Future<List<Status>> pullAll(Vertx vertx) {
    List<Future<Status>> pulls = scoped.with(Scopes.RESOURCES_DIRECTORY).stream()
        .map(card -> pull(vertx, card)).toList();
    return Future.all(pulls).map(all -> pulls.stream().map(Future::result).toList());
  }

  private Future<Status> pull(Vertx vertx, NodeCard card) {
    String node = card.profile().name();
    Instant attempted = federation.clock().instant();
    return client.get(vertx).get(card, ResourceListing.PATH, Map.of(), PULL_TIMEOUT_MILLIS)
        .map(answer -> {
          if (answer.status() != 200) {
            throw new PeerCallException("peer.refused", node + " answered " + answer.status(), null);
          }
          try {
            return verify(answer.body(), card);
          } catch (ProtocolException e) {
            throw new PeerCallException("peer.answer_invalid", node + "'s listing: " + e.code(), e);
          }
        })
        .compose(listing -> {
          Instant fetched = federation.clock().instant();
          return database.write(c -> {
            PartnerResourceSql.save(c, node, listing.compact(), listing.issuedAt(), fetched);
            return null;
          }).map(saved -> {
            federation.contacted(node);
            PartnerResources.Listing shown = show(card, listing, fetched);
            return record(new Status(node, attempted, Optional.of(fetched), shown.catalog().allPublished().size(),
                shown.rejected(), Optional.empty()));
          });
        })
        .recover(e -> {
          String code = e instanceof PeerCallException call ? call.code() : "peer.unreachable";
          LOG.info("resources of {} not pulled: {} ({})", node, code, e.getMessage());
          Status last = statuses.get(node);
          return Future.succeededFuture(record(new Status(node, attempted,
              last == null ? Optional.empty() : last.fetchedAt(), last == null ? 0 : last.resources(),
              last == null ? 0 : last.rejected(), Optional.of(code))));
        });
  }

  private ResourceListing verify(String compact, NodeCard card) {
    ResourceListing listing = ResourceListing.verify(compact, federation.agreements().current()
        .trustStore(federation.identity().name(), federation.clock().instant()));
    if (!listing.node().equals(card.profile().name())) {
      throw new ProtocolException("listing.node_mismatch", "asked " + card.profile().name() + ", got the listing of "
          + listing.node());
    }
    return listing;
  }

  private PartnerResources.Listing show(NodeCard card, ResourceListing listing, Instant fetched) {
    List<String> municipalities = card.profile().municipalities().stream().map(MunicipalityCode::value).toList();
    ResourceListings.Read read = ResourceListings.read(listing.vocabulary(), listing.resources(), municipalities,
        listing.issuedAt());
    PartnerResources.Listing shown = new PartnerResources.Listing(new PartnerResources.Partner(card.profile().name(),
        card.profile().displayName(), municipalities), read.catalog(), listing.issuedAt(), fetched, read.rejected());
    copies.put(shown);
    return shown;
  }

  /** Drops and deletes, audited, the copies of partners no agreement with the scope covers now. */
  Future<List<String>> purge() {
    copies.retain(node -> scoped.allows(node, Scopes.RESOURCES_DIRECTORY));
    // Read first and write only with something to purge: it runs every 15 s, and an empty write would
    // hold the writer for nothing (and once, on a full disk, made the node look writable again).
    return database.read(c -> PartnerResourceSql.all(c).stream()
        .anyMatch(row -> !scoped.allows(row.node(), Scopes.RESOURCES_DIRECTORY)))
        .compose(any -> any ? deleteUnscoped() : Future.succeededFuture(List.<String>of()));
  }

  private Future<List<String>> deleteUnscoped() {
    return database.write(c -> {
      List<String> deleted = new java.util.ArrayList<>();
      for (PartnerResourceSql.Stored row : PartnerResourceSql.all(c)) {
        if (!scoped.allows(row.node(), Scopes.RESOURCES_DIRECTORY) && PartnerResourceSql.delete(c, row.node())) {
          audit.append(c, AuditEvent.success("system", "federation.resources.purged", "partner:" + row.node(),
              new JsonObject().put("reason", "no active agreement with the resources-directory scope")));
          deleted.add(row.node());
        }
      }
      return deleted;
    }).onSuccess(deleted -> deleted.forEach(node -> {
      statuses.remove(node);
      LOG.info("resources of {} removed: no active agreement with the resources-directory scope", node);
    }));
  }

  /** Whether a partner with the scope has no copy yet (just admitted, or never reached). */
  boolean missingCopies() {
    List<String> shown = copies.listings().stream().map(l -> l.partner().node()).toList();
    return scoped.with(Scopes.RESOURCES_DIRECTORY).stream().anyMatch(card -> !shown.contains(card.profile().name()));
  }

  List<Status> statuses() {
    return statuses.values().stream().sorted(java.util.Comparator.comparing(Status::node)).toList();
  }

  private Status record(Status status) {
    statuses.put(status.node(), status);
    return status;
  }

  Federation federation() {
    return federation;
  }
}
