package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The catalog's index gives exactly what reading every entry gives: same hits, same order, for
 * keywords (Japanese inside longer words, several terms, full-width input), categories, tags and
 * areas in random combinations.
 */
class CatalogIndexTest {

  private static final Vocabulary VOCABULARY = new Vocabulary(List.of(
      new Category("gathering", Optional.empty(), "通いの場", Optional.empty(), 10),
      new Category("gathering.salon", Optional.of("gathering"), "サロン", Optional.empty(), 11),
      new Category("gathering.exercise", Optional.of("gathering"), "体操・運動教室", Optional.empty(), 12),
      new Category("shopping", Optional.empty(), "買い物支援", Optional.empty(), 20),
      new Category("shopping.mobile", Optional.of("shopping"), "移動販売", Optional.empty(), 21)),
      List.of("室内", "体操", "おしゃべり", "送迎あり"));
  private static final String[] PLACES = {"荒井", "西町", "高遠町", "美篶", "手良", "東春近", "長谷", "西箕輪"};
  private static final String[] ACTIVITIES = {"ふれあいサロン", "いきいき体操", "おしゃべりカフェ", "移動スーパー",
      "囲碁クラブ", "Cafe ABC", "脳トレ教室"};
  private static final String[] AREAS = {"202096", "203858", "203831"};

  private static Resource resource(Random random, int n) {
    Category sub = VOCABULARY.categories().stream().filter(c -> !c.topLevel()).toList().get(random.nextInt(3));
    List<String> tags = new ArrayList<>();
    for (String tag : VOCABULARY.tags()) {
      if (random.nextInt(3) == 0) {
        tags.add(tag);
      }
    }
    String place = PLACES[random.nextInt(PLACES.length)];
    ResourceFields f = new ResourceFields(place + ACTIVITIES[random.nextInt(ACTIVITIES.length)] + n, "",
        sub.parentCode().orElseThrow(), Optional.of(sub.code()), tags, AREAS[random.nextInt(AREAS.length)],
        "伊那市" + place + random.nextInt(3000), "", new GeoPoint(35.8 + random.nextDouble() / 10, 137.9), "", "", "",
        random.nextBoolean() ? "歌や体操で体を動かします。" : "お茶を飲みながらおしゃべり。", Schedule.NONE, "", Optional.empty(),
        random.nextBoolean() ? "送迎あり" : "", "", "", "", Optional.empty());
    return new Resource("r" + n, f, List.of(), true, Instant.EPOCH, Instant.EPOCH);
  }

  /** The plain reading of every entry, as the catalog searched before it had an index. */
  private static List<String> scan(List<Resource> resources, List<String> texts, SearchQuery q) {
    List<String> terms = List.of(Catalog.fold(q.keyword()).split("\\s+")).stream().filter(t -> !t.isEmpty()).toList();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      Resource r = resources.get(i);
      ResourceFields f = r.fields();
      String text = texts.get(i);
      boolean ok = q.category().map(c -> c.equals(f.category()) || Optional.of(c).equals(f.subCategory())).orElse(true)
          && q.tag().map(f.tags()::contains).orElse(true)
          && q.municipality().map(f.municipalityCode()::equals).orElse(true)
          && terms.stream().allMatch(text::contains);
      if (ok) {
        ids.add(r.id());
      }
    }
    return ids;
  }

  private static Optional<String> maybe(Random random, String... values) {
    return random.nextInt(3) == 0 ? Optional.of(values[random.nextInt(values.length)]) : Optional.empty();
  }

  @Test
  void random_queries_find_exactly_what_reading_every_entry_finds_in_the_same_order() {
    Random random = new Random(11);
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      resources.add(resource(random, i));
    }
    Catalog catalog = new Catalog(1, resources, VOCABULARY, Map.of());
    List<String> texts = resources.stream().map(r -> r.fields()).map(f -> Catalog.fold(String.join("\n", f.name(),
        f.nameKana(), VOCABULARY.nameOf(f.category()), f.subCategory().map(VOCABULARY::nameOf).orElse(""),
        String.join(" ", f.tags()), f.address(), f.building(), f.description(), f.schedule().labelJa(),
        f.operatorName(), f.transport(), f.accessibility()))).toList();
    int nonEmpty = 0;
    for (int i = 0; i < 2000; i++) {
      Resource sample = resources.get(random.nextInt(resources.size()));
      String text = sample.name() + " " + sample.fields().description();
      int from = random.nextInt(text.length() - 3);
      String keyword = switch (random.nextInt(5)) {
        case 0 -> "";
        case 1 -> text.substring(from, from + 1);
        case 2 -> text.substring(from, from + 2 + random.nextInt(2)) + " " + PLACES[random.nextInt(PLACES.length)];
        case 3 -> text.substring(from, from + 3).toUpperCase(Locale.ROOT);
        default -> text.substring(from, from + 2 + random.nextInt(2));
      };
      SearchQuery query = new SearchQuery(keyword, maybe(random, "gathering", "gathering.salon", "shopping.mobile",
          "none"), maybe(random, "室内", "体操", "送迎あり", "無い"), maybe(random, AREAS), Optional.empty());
      List<String> found = catalog.search(query).stream().map(h -> h.resource().id()).toList();
      assertThat(found).as(query.toString()).isEqualTo(scan(resources, texts, query));
      nonEmpty += found.isEmpty() ? 0 : 1;
    }
    assertThat(nonEmpty).as("the random queries do hit").isGreaterThan(700);
    assertThat(catalog.search(new SearchQuery("ｃａｆｅ　ａｂｃ", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty()))).as("full-width input folds to the same text").isNotEmpty();
  }

  @Test
  void intersecting_sorted_lists_keeps_common_positions_in_order() {
    assertThat(CatalogIndex.intersect(new int[] {1, 5, 9, 200, 201}, new int[] {0, 1, 2, 3, 9, 10, 150, 201, 300}))
        .containsExactly(1, 9, 201);
    assertThat(CatalogIndex.intersect(new int[] {7}, new int[] {})).isEmpty();
    assertThat(CatalogIndex.intersect(new int[] {}, new int[] {1, 2})).isEmpty();
    assertThat(CatalogIndex.intersect(new int[] {400}, new int[] {1, 2, 3, 400})).containsExactly(400);
  }
}
