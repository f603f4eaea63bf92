package jp.tsunagu.node.resources;

import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * A search of published resources: keyword, category or sub-category code, tag, municipality
 * code, and an optional origin to order by distance.
 */
public record SearchQuery(String keyword, Optional<String> category, Optional<String> tag,
    Optional<String> municipality, Optional<GeoPoint> origin) {

  public static final SearchQuery ALL = new SearchQuery("", Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty());

  /** Reads {@code q}, {@code category}, {@code tag}, {@code area} from a query string; blanks mean "any". */
  public static SearchQuery from(MultiMap params) {
    return new SearchQuery(limit(params.get("q"), 100), present(params.get("category")), present(params.get("tag")),
        present(params.get("area")), Optional.empty());
  }

  public SearchQuery from(GeoPoint point) {
    return new SearchQuery(keyword, category, tag, municipality, Optional.of(point));
  }

  public boolean any() {
    return !keyword.isBlank() || category.isPresent() || tag.isPresent() || municipality.isPresent();
  }

  private static Optional<String> present(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(limit(value, 100));
  }

  private static String limit(String value, int max) {
    String v = value == null ? "" : value.strip();
    return v.length() > max ? v.substring(0, max) : v;
  }
}
