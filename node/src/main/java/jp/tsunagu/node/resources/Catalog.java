package jp.tsunagu.node.resources;

import java.text.Normalizer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An immutable snapshot of the published resources with their search text, the vocabulary and
 * the introduction counts. Public pages and matching search this in memory through a
 * {@link CatalogIndex} (category, tag, area and character grams of the text), so a search reads the
 * entries that can match rather than all of them, where SQL {@code LIKE} over every column would not.
 */
public final class Catalog {

  /**
   * One published resource, the lower-cased, width-folded text that keyword search looks in, and
   * its hit for searches without an origin (made once, so a search of thousands allocates none).
   */
  record Entry(Resource resource, String haystack, Hit hit) {}

  /** A search hit: the resource and, when searched from a point, its distance in metres. */
  public record Hit(Resource resource, Optional<Double> metres) {}

  private final long generation;
  private final List<Entry> entries;
  private final Map<String, Integer> positions;
  private final AtomicReferenceArray<String> listItems;
  private final Vocabulary vocabulary;
  private final Map<String, Integer> introductions;
  private final CatalogIndex index;

  Catalog(long generation, List<Resource> published, Vocabulary vocabulary, Map<String, Integer> introductions) {
    this.generation = generation;
    this.vocabulary = vocabulary;
    this.introductions = Map.copyOf(introductions);
    List<Entry> list = new ArrayList<>();
    Map<String, Integer> at = new HashMap<>();
    for (Resource resource : published) {
      Entry entry = new Entry(resource, haystack(resource, vocabulary), new Hit(resource, Optional.empty()));
      at.put(resource.id(), list.size());
      list.add(entry);
    }
    this.entries = List.copyOf(list);
    this.positions = Map.copyOf(at);
    this.listItems = new AtomicReferenceArray<>(entries.size());
    this.index = CatalogIndex.of(entries);
  }

  long generation() {
    return generation;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** A published resource; unpublished ones do not exist for the public. */
  public Optional<Resource> published(String id) {
    return Optional.ofNullable(positions.get(id)).map(position -> entries.get(position).resource());
  }

  public List<Resource> allPublished() {
    return entries.stream().map(Entry::resource).toList();
  }

  /** The middle of the published resources, where an empty map starts; absent when there are none. */
  public Optional<GeoPoint> centre() {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    double lat = 0;
    double lon = 0;
    for (Entry entry : entries) {
      lat += entry.resource().location().latitude();
      lon += entry.resource().location().longitude();
    }
    return Optional.of(new GeoPoint(lat / entries.size(), lon / entries.size()));
  }

  /** How many of this node's referral sheets introduced one of its resources. */
  public int introductions(String resourceId) {
    return introductions.getOrDefault(resourceId, 0);
  }

  /** How many of this node's referral sheets introduced a partner's resource. */
  public int introductions(String partnerNode, String resourceId) {
    return introductions.getOrDefault(partnerNode + "/" + resourceId, 0);
  }

  /**
   * Every hit of the query, nearest first when it has an origin, else in reading order. Without
   * an origin the list is a view over the matching positions: a page of 50 out of thousands reads
   * 50 entries.
   */
  public List<Hit> search(SearchQuery query) {
    List<String> terms = terms(query.keyword());
    int[] candidates = index.candidates(query, terms);
    // The index is exact for the filters and for terms of one or two characters; a longer term's
    // candidates have each of its bigrams and are checked for the whole term here.
    List<String> toCheck = terms.stream().filter(term -> term.length() > 2).toList();
    int count = candidates == null ? entries.size() : candidates.length;
    if (toCheck.isEmpty() && query.origin().isEmpty()) {
      return new HitView(candidates, count);
    }
    int[] matched = new int[count];
    int found = 0;
    for (int i = 0; i < count; i++) {
      int position = candidates == null ? i : candidates[i];
      if (toCheck.isEmpty() || containsAll(entries.get(position).haystack(), toCheck)) {
        matched[found++] = position;
      }
    }
    if (query.origin().isEmpty()) {
      return new HitView(matched, found);
    }
    GeoPoint origin = query.origin().get();
    List<Hit> hits = new ArrayList<>(found);
    for (int i = 0; i < found; i++) {
      Resource resource = entries.get(matched[i]).resource();
      hits.add(new Hit(resource, Optional.of(origin.metresTo(resource.location()))));
    }
    hits.sort(Comparator.comparingDouble(h -> h.metres().orElseThrow()));
    return hits;
  }

  /** The hits at the matched positions (null: every entry), read-only. */
  private final class HitView extends AbstractList<Hit> implements RandomAccess {
    private final int[] positions;
    private final int size;

    HitView(int[] positions, int size) {
      this.positions = positions;
      this.size = size;
    }

    @Override
    public Hit get(int i) {
      Objects.checkIndex(i, size);
      return entries.get(positions == null ? i : positions[i]).hit();
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * The result list of these hits. Each resource's item is rendered the first time it is shown
   * and kept with this snapshot, so a page of results joins kept strings (rendering was the larger
   * part of a search's cost); a later snapshot starts afresh, so an edit shows at once.
   */
  String listHtml(String listId, List<Hit> hits) {
    return ResourceHtml.list(listId, hits, this::listItem);
  }

  /** The same list for a page template to include. */
  ResourceHtml.ResultList resultList(String listId, List<Hit> hits) {
    return ResourceHtml.resultList(listId, hits, this::listItem);
  }

  private String listItem(Hit hit) {
    Integer position = positions.get(hit.resource().id());
    if (position == null || entries.get(position).resource() != hit.resource() || hit.metres().isPresent()) {
      return ResourceHtml.item(hit.resource(), vocabulary, hit.metres());
    }
    String item = listItems.get(position);
    if (item == null) {
      // Two threads may both render it; they make the same item, and either may be kept.
      item = ResourceHtml.item(hit.resource(), vocabulary, Optional.empty());
      listItems.set(position, item);
    }
    return item;
  }

  /** The folded, space-separated terms of a keyword. */
  static List<String> terms(String keyword) {
    List<String> terms = new ArrayList<>();
    for (String term : fold(keyword).split("\\s+")) {
      if (!term.isEmpty()) {
        terms.add(term);
      }
    }
    return terms;
  }

  static boolean containsAll(String haystack, List<String> terms) {
    for (String term : terms) {
      if (!haystack.contains(term)) {
        return false;
      }
    }
    return true;
  }

  private static String haystack(Resource resource, Vocabulary vocabulary) {
    ResourceFields f = resource.fields();
    return fold(String.join("\n", f.name(), f.nameKana(), vocabulary.nameOf(f.category()),
        f.subCategory().map(vocabulary::nameOf).orElse(""), String.join(" ", f.tags()), f.address(), f.building(),
        f.description(), f.schedule().labelJa(), f.operatorName(), f.transport(), f.accessibility()));
  }

  /** NFKC folds full-width letters and digits and half-width kana, so "ＡＢＣ" finds "abc". */
  static String fold(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }
}
