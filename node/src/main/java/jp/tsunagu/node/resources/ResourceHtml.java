package jp.tsunagu.node.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.reference.PostalAddress;
import jp.tsunagu.node.web.Templates;

/**
 * What the portal, the print view and the referral sheet show of a resource, and the result list
 * ({@code resources/listItem.jte}, {@code resources/resultList.jte}, {@code resources/facts.jte}).
 */
final class ResourceHtml {

  /** One line of the facts: a label and its value. */
  record Fact(String label, String value) {}

  /** A result in a list; {@code distance} is null when the search had no origin. */
  record Item(Resource resource, Vocabulary vocabulary, String distance) {}

  /** A result list: its element id (the map script's source) and its items, rendered already. */
  record ResultList(String id, List<String> items) {}

  private ResourceHtml() {}

  /** The facts for a definition list; empty fields are left out rather than shown blank. */
  static List<Fact> facts(Resource resource, Vocabulary vocabulary) {
    ResourceFields f = resource.fields();
    List<Fact> facts = new ArrayList<>();
    fact(facts, "種類", vocabulary.nameOf(f.category()) + f.subCategory().map(s -> "（" + vocabulary.nameOf(s) + "）")
        .orElse(""));
    fact(facts, "日時", f.schedule().labelJa());
    fact(facts, "場所", fullAddress(f));
    fact(facts, "電話", f.phone());
    fact(facts, "FAX", f.fax());
    fact(facts, "参加費・利用料", f.fee());
    fact(facts, "定員", f.capacity().map(c -> c + "人").orElse(""));
    fact(facts, "送迎", f.transport());
    fact(facts, "バリアフリー", f.accessibility());
    fact(facts, "問い合わせ先", f.contact());
    fact(facts, "運営", f.operatorName());
    fact(facts, "最終確認日", f.lastVerified().map(d -> d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth()
        + "日").orElse(""));
    return facts;
  }

  private static void fact(List<Fact> facts, String label, String value) {
    if (value != null && !value.isBlank()) {
      facts.add(new Fact(label, value));
    }
  }

  static String fullAddress(ResourceFields f) {
    String address = address(f);
    return f.building().isBlank() ? address : address + " " + f.building();
  }

  /** The address with its prefecture and municipality, without the building (方書). */
  static String address(ResourceFields f) {
    return PostalAddress.withMunicipality(f.municipalityCode(), f.address());
  }

  /** The paragraphs of a free-text description, each as its lines (shown with line breaks kept). */
  static List<List<String>> paragraphs(String text) {
    List<List<String>> paragraphs = new ArrayList<>();
    for (String paragraph : text.split("\\R\\s*\\R")) {
      if (!paragraph.isBlank()) {
        paragraphs.add(List.of(paragraph.strip().split("\\R")));
      }
    }
    return paragraphs;
  }

  /**
   * One result in a list, carrying its position for the map script as data attributes. Without a
   * distance it depends on the resource alone, so a {@link Catalog} renders it once per snapshot and
   * a page of results only joins kept items.
   */
  static String item(Resource resource, Vocabulary vocabulary, Optional<Double> metres) {
    return Templates.render("resources/listItem.jte",
        new Item(resource, vocabulary, metres.map(ResourceHtml::distance).orElse(null)), 512);
  }

  /** "850 m", "2.4 km". */
  static String distance(double metres) {
    return metres < 1000 ? Math.round(metres / 10) * 10 + " m" : String.format(Locale.ROOT, "%.1f km", metres / 1000);
  }

  /** The list of these hits, each item rendered afresh. */
  static String list(String id, List<Catalog.Hit> hits, Vocabulary vocabulary) {
    return list(id, hits, hit -> item(hit.resource(), vocabulary, hit.metres()));
  }

  static String list(String id, List<Catalog.Hit> hits, Function<Catalog.Hit, String> items) {
    return Templates.render("resources/resultList.jte", resultList(id, hits, items), 256 + hits.size() * 512);
  }

  static ResultList resultList(String id, List<Catalog.Hit> hits, Function<Catalog.Hit, String> items) {
    List<String> rendered = new ArrayList<>(hits.size());
    for (Catalog.Hit hit : hits) {
      rendered.add(items.apply(hit));
    }
    return new ResultList(id, rendered);
  }
}
