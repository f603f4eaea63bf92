package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagu.node.reference.PostalAddress;

/** HTML fragments for a resource, shared by the portal, the print view and the referral sheet. */
final class ResourceHtml {

  private ResourceHtml() {}

  /** The facts as a definition list; empty fields are left out rather than shown blank. */
  static String facts(Resource resource, Vocabulary vocabulary) {
    ResourceFields f = resource.fields();
    StringBuilder html = new StringBuilder("<dl class=\"resource-facts\">");
    fact(html, "種類", vocabulary.nameOf(f.category()) + f.subCategory().map(s -> "（" + vocabulary.nameOf(s) + "）")
        .orElse(""));
    fact(html, "日時", f.schedule().labelJa());
    fact(html, "場所", fullAddress(f));
    fact(html, "電話", f.phone());
    fact(html, "FAX", f.fax());
    fact(html, "参加費・利用料", f.fee());
    fact(html, "定員", f.capacity().map(c -> c + "人").orElse(""));
    fact(html, "送迎", f.transport());
    fact(html, "バリアフリー", f.accessibility());
    fact(html, "問い合わせ先", f.contact());
    fact(html, "運営", f.operatorName());
    fact(html, "最終確認日", f.lastVerified().map(d -> d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth()
        + "日").orElse(""));
    return html.append("</dl>").toString();
  }

  private static void fact(StringBuilder html, String label, String value) {
    if (value != null && !value.isBlank()) {
      html.append("<dt>").append(escape(label)).append("</dt><dd>").append(escape(value)).append("</dd>");
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

  /** Paragraphs of the free-text description, line breaks kept. */
  static String paragraphs(String text) {
    StringBuilder html = new StringBuilder();
    for (String paragraph : text.split("\\R\\s*\\R")) {
      if (!paragraph.isBlank()) {
        html.append("<p>").append(escape(paragraph.strip()).replaceAll("\\R", "<br>")).append("</p>");
      }
    }
    return html.toString();
  }

  /**
   * One result in a list, carrying its position for the map script as data attributes: the parts
   * before and after the distance, which depend on the resource alone, so a {@link Catalog} renders
   * them once per snapshot and a page of results only joins them.
   */
  record ListItem(String head, String tail) {

    static ListItem of(Resource r, Vocabulary vocabulary) {
      ResourceFields f = r.fields();
      String head = new StringBuilder("<li class=\"resource-item\" data-id=\"").append(escape(r.id()))
          .append("\" data-lat=\"").append(f.location().latitude()).append("\" data-lon=\"")
          .append(f.location().longitude()).append("\" data-name=\"").append(escape(f.name()))
          .append("\" data-href=\"").append(escape(r.path())).append("\">")
          .append("<a class=\"resource-name\" href=\"").append(escape(r.path())).append("\">")
          .append(escape(f.name())).append("</a> <span class=\"badge\">")
          .append(escape(vocabulary.nameOf(f.subCategory().orElse(f.category())))).append("</span>").toString();
      StringBuilder tail = new StringBuilder("<div class=\"resource-meta\">").append(escape(fullAddress(f)));
      String schedule = f.schedule().labelJa();
      if (!schedule.isBlank()) {
        tail.append("<br>").append(escape(schedule));
      }
      tail.append("</div>");
      if (!f.tags().isEmpty()) {
        tail.append("<ul class=\"tag-list\">");
        f.tags().forEach(t -> tail.append("<li>").append(escape(t)).append("</li>"));
        tail.append("</ul>");
      }
      return new ListItem(head, tail.append("</li>").toString());
    }

    void appendTo(StringBuilder html, Optional<Double> metres) {
      html.append(head);
      metres.ifPresent(m -> html.append(" <span class=\"distance\">").append(distance(m)).append("</span>"));
      html.append(tail);
    }
  }

  /** "850 m", "2.4 km". */
  static String distance(double metres) {
    return metres < 1000 ? Math.round(metres / 10) * 10 + " m" : String.format(Locale.ROOT, "%.1f km", metres / 1000);
  }

  /** The map container; the list with data attributes is the map's source and its fallback. */
  static String map(PortalSettings settings, String listId) {
    return "<div id=\"map\" class=\"resource-map\" role=\"region\" aria-label=\"地図\" data-list=\"" + escape(listId)
        + "\" data-tile-url=\"" + escape(settings.tileUrl()) + "\" data-attribution=\"" + escape(settings.attribution())
        + "\" data-attribution-url=\"" + escape(settings.attributionUrl().toString()) + "\"></div>";
  }

  static String list(String id, List<Catalog.Hit> hits, Vocabulary vocabulary) {
    return list(id, hits, hit -> ListItem.of(hit.resource(), vocabulary));
  }

  static String list(String id, List<Catalog.Hit> hits, Function<Catalog.Hit, ListItem> items) {
    StringBuilder html = new StringBuilder(256 + hits.size() * 512).append("<ol id=\"").append(escape(id))
        .append("\" class=\"resource-list\">");
    for (Catalog.Hit hit : hits) {
      items.apply(hit).appendTo(html, hit.metres());
    }
    return html.append("</ol>").toString();
  }
}
