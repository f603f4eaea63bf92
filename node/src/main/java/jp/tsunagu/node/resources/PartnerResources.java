package jp.tsunagu.node.resources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The read-only copies of partner nodes' published resources, one per partner, searched like the
 * local catalog and shown marked with the partner's municipality. Nothing here can be edited: a copy
 * is replaced whole by the next verified listing or dropped. Every read asks the gate whether the
 * partner may be shown now, so a copy vanishes the moment its agreement ends, even before the sync
 * deletes it.
 */
public final class PartnerResources {

  /** A partner as people know it. */
  public record Partner(String node, String displayName, List<String> municipalities) {

    public Partner {
      municipalities = List.copyOf(municipalities);
    }
  }

  /** One partner's copy: its resources as a catalog of their own, and when it was made and fetched. */
  public record Listing(Partner partner, Catalog catalog, Instant issuedAt, Instant fetchedAt, int rejected) {}

  /** A search hit in a partner's copy. */
  public record Hit(Partner partner, Catalog.Hit hit, Vocabulary vocabulary) {}

  private final AtomicReference<Map<String, Listing>> listings = new AtomicReference<>(Map.of());
  private volatile Predicate<String> shown = node -> false;

  /** Who decides, at each read, whether a partner's copy may be shown (nobody's until set). */
  public void gate(Predicate<String> mayShow) {
    this.shown = mayShow;
  }

  /** Puts or replaces a partner's copy. */
  public void put(Listing listing) {
    listings.updateAndGet(current -> {
      Map<String, Listing> next = new LinkedHashMap<>(current);
      next.put(listing.partner().node(), listing);
      return Map.copyOf(next);
    });
  }

  /** Drops the copies of every partner {@code keep} refuses; returns the dropped nodes. */
  public List<String> retain(Predicate<String> keep) {
    List<String> dropped = new ArrayList<>();
    listings.updateAndGet(current -> {
      dropped.clear();
      Map<String, Listing> next = new LinkedHashMap<>();
      current.forEach((node, listing) -> {
        if (keep.test(node)) {
          next.put(node, listing);
        } else {
          dropped.add(node);
        }
      });
      return Map.copyOf(next);
    });
    return dropped;
  }

  /** The copies that may be shown now, by partner node name. */
  public List<Listing> listings() {
    return listings.get().values().stream().filter(l -> shown.test(l.partner().node()))
        .sorted(java.util.Comparator.comparing(l -> l.partner().node())).toList();
  }

  /** Every hit of the query in the copies that may be shown now, partner by partner. */
  public List<Hit> search(SearchQuery query) {
    List<Hit> hits = new ArrayList<>();
    for (Listing listing : listings()) {
      listing.catalog().search(query).forEach(hit -> hits.add(new Hit(listing.partner(), hit,
          listing.catalog().vocabulary())));
    }
    if (query.origin().isPresent()) {
      hits.sort(java.util.Comparator.comparingDouble(h -> h.hit().metres().orElseThrow()));
    }
    return hits;
  }

  /** One resource of a partner's copy, if it may be shown now. */
  public Optional<Hit> find(String node, String id) {
    return Optional.ofNullable(listings.get().get(node)).filter(l -> shown.test(node))
        .flatMap(l -> l.catalog().published(id).map(r -> new Hit(l.partner(), new Catalog.Hit(r, Optional.empty()),
            l.catalog().vocabulary())));
  }
}
