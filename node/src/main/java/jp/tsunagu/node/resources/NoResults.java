package jp.tsunagu.node.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the portal says when a search finds nothing ({@code resources/noResults.jte}): not a count
 * over an empty map of Japan, but what to try next, each as a link that works: fewer or shorter
 * words, the same words in another kind of resource (only kinds that have hits), the search without
 * the chosen filters, and every resource.
 */
final class NoResults {

  /**
   * The advice for one search: its keyword, the other kinds with hits (labels with their counts),
   * the search without filters when it had any, and how many resources are published.
   */
  record Advice(String keyword, List<PortalLayout.Link> otherKinds, Optional<WithoutFilters> withoutFilters,
      int published) {}

  /** The same keyword without category, tag and area, and how many that finds. */
  record WithoutFilters(String href, int found) {}

  private NoResults() {}

  static Advice advice(Catalog catalog, SearchQuery query) {
    Optional<WithoutFilters> withoutFilters = Optional.empty();
    if (query.category().isPresent() || query.tag().isPresent() || query.municipality().isPresent()) {
      SearchQuery keywordOnly = new SearchQuery(query.keyword(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty());
      withoutFilters = Optional.of(new WithoutFilters("/resources/search"
          + (query.keyword().isEmpty() ? "" : "?q=" + PortalRoutes.enc(query.keyword())),
          catalog.search(keywordOnly).size()));
    }
    return new Advice(query.keyword(), otherKinds(catalog, query), withoutFilters, catalog.allPublished().size());
  }

  /** The kinds (top-level categories) in which the same words do find something, with their counts. */
  private static List<PortalLayout.Link> otherKinds(Catalog catalog, SearchQuery query) {
    List<PortalLayout.Link> links = new ArrayList<>();
    for (Category kind : catalog.vocabulary().topLevel()) {
      if (query.category().map(kind.code()::equals).orElse(false)) {
        continue;
      }
      SearchQuery other = new SearchQuery(query.keyword(), Optional.of(kind.code()), query.tag(),
          query.municipality(), Optional.empty());
      int found = catalog.search(other).size();
      if (found > 0) {
        StringBuilder href = new StringBuilder("/resources/search?category=").append(PortalRoutes.enc(kind.code()));
        if (!query.keyword().isEmpty()) {
          href.append("&q=").append(PortalRoutes.enc(query.keyword()));
        }
        query.tag().ifPresent(t -> href.append("&tag=").append(PortalRoutes.enc(t)));
        query.municipality().ifPresent(m -> href.append("&area=").append(PortalRoutes.enc(m)));
        links.add(new PortalLayout.Link(href.toString(), kind.nameJa() + "（" + found + "）"));
      }
    }
    return links;
  }
}
