package jp.tsunagu.node.resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Posting lists over a catalog's entries, so a search reads only the entries that can match
 * instead of scanning all of them. Entries are numbered by their position in the catalog; every
 * list is sorted, so intersections keep the catalog's reading order.
 *
 * <p>Keywords are indexed by character unigrams and bigrams of the folded search text: Japanese has
 * no spaces between words, so "体操" must be found inside "いきいき体操クラブ". A term's bigrams
 * narrow the candidates; the caller still checks each candidate's text, since having every bigram
 * of a term does not mean containing the term.
 */
final class CatalogIndex {

  private static final int[] NONE = new int[0];

  private final int size;
  private final Map<String, int[]> categories;
  private final Map<String, int[]> tags;
  private final Map<String, int[]> areas;
  private final Map<Integer, int[]> grams;

  private CatalogIndex(int size, Map<String, int[]> categories, Map<String, int[]> tags, Map<String, int[]> areas,
      Map<Integer, int[]> grams) {
    this.size = size;
    this.categories = categories;
    this.tags = tags;
    this.areas = areas;
    this.grams = grams;
  }

  static CatalogIndex of(List<Catalog.Entry> entries) {
    Map<String, Postings> categories = new HashMap<>();
    Map<String, Postings> tags = new HashMap<>();
    Map<String, Postings> areas = new HashMap<>();
    Map<Integer, Postings> grams = new HashMap<>();
    for (int position = 0; position < entries.size(); position++) {
      ResourceFields f = entries.get(position).resource().fields();
      add(categories, f.category(), position);
      int at = position;
      f.subCategory().ifPresent(sub -> add(categories, sub, at));
      f.tags().forEach(tag -> add(tags, tag, at));
      add(areas, f.municipalityCode(), position);
      String text = entries.get(position).haystack();
      for (int i = 0; i < text.length(); i++) {
        add(grams, unigram(text.charAt(i)), position);
        if (i + 1 < text.length()) {
          add(grams, bigram(text.charAt(i), text.charAt(i + 1)), position);
        }
      }
    }
    return new CatalogIndex(entries.size(), freeze(categories), freeze(tags), freeze(areas), freeze(grams));
  }

  /**
   * The positions of the entries that may match: every filter exactly, keyword terms by their
   * grams (a superset to be checked). {@code null} means "no restriction" (an empty query).
   */
  int[] candidates(SearchQuery query, List<String> terms) {
    List<int[]> lists = new ArrayList<>();
    query.category().ifPresent(code -> lists.add(categories.getOrDefault(code, NONE)));
    query.tag().ifPresent(tag -> lists.add(tags.getOrDefault(tag, NONE)));
    query.municipality().ifPresent(code -> lists.add(areas.getOrDefault(code, NONE)));
    for (String term : terms) {
      if (term.length() == 1) {
        lists.add(grams.getOrDefault(unigram(term.charAt(0)), NONE));
      }
      for (int i = 0; i + 1 < term.length(); i++) {
        lists.add(grams.getOrDefault(bigram(term.charAt(i), term.charAt(i + 1)), NONE));
      }
    }
    if (lists.isEmpty()) {
      return null;
    }
    lists.sort(Comparator.comparingInt(list -> list.length));
    int[] result = lists.get(0);
    for (int i = 1; i < lists.size() && result.length > 0; i++) {
      result = intersect(result, lists.get(i));
    }
    return result;
  }

  int size() {
    return size;
  }

  /** Both lists sorted; the shorter one is walked and the longer one searched by galloping. */
  static int[] intersect(int[] small, int[] large) {
    int[] out = new int[small.length];
    int n = 0;
    int from = 0;
    for (int value : small) {
      int step = 1;
      int hi = from;
      while (hi < large.length && large[hi] < value) {
        from = hi;
        hi += step;
        step <<= 1;
      }
      int found = Arrays.binarySearch(large, from, Math.min(hi + 1, large.length), value);
      if (found >= 0) {
        out[n++] = value;
        from = found + 1;
      } else {
        from = -found - 1;
      }
      if (from >= large.length) {
        break;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int unigram(char c) {
    return c;
  }

  /** Above every unigram key (a first character of 0, which folded text never has, would collide harmlessly). */
  private static int bigram(char first, char second) {
    return (first << 16) | second;
  }

  private static <K> void add(Map<K, Postings> map, K key, int position) {
    map.computeIfAbsent(key, k -> new Postings()).add(position);
  }

  private static <K> Map<K, int[]> freeze(Map<K, Postings> map) {
    Map<K, int[]> frozen = new HashMap<>(map.size() * 2);
    map.forEach((key, postings) -> frozen.put(key, postings.toArray()));
    return frozen;
  }

  /** A growing sorted list of positions; a position added twice in a row (a repeated gram) is kept once. */
  private static final class Postings {
    private int[] items = new int[4];
    private int count;

    void add(int position) {
      if (count > 0 && items[count - 1] == position) {
        return;
      }
      if (count == items.length) {
        items = Arrays.copyOf(items, count * 2);
      }
      items[count++] = position;
    }

    int[] toArray() {
      return Arrays.copyOf(items, count);
    }
  }
}
