package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the portal says when a search finds nothing: not a count over an empty map of Japan, but what
 * to try next, each as a link that works: fewer or shorter words, the same words in another kind of
 * resource (only kinds that have hits), the search without the chosen filters, and every resource.
 */
final class NoResults {

  private NoResults() {}

  static String html(Catalog catalog, SearchQuery query) {
    StringBuilder html = new StringBuilder("<section class=\"card no-results\"><h2>");
    html.append(query.keyword().isEmpty() ? "この条件に合う地域資源は見つかりませんでした"
        : "「" + escape(query.keyword()) + "」に合う地域資源は見つかりませんでした");
    html.append("</h2><p>次のようにさがしてみてください。</p><ul class=\"no-results-tips\">");
    if (!query.keyword().isEmpty()) {
      html.append("<li>言葉を減らすか、短くしてください（例: 「いきいき体操クラブ」ではなく「体操」）。")
          .append("ひらがな・カタカナ・漢字を変えてみるのも有効です。</li>");
    }
    List<String> otherKinds = otherKinds(catalog, query);
    if (!otherKinds.isEmpty()) {
      html.append("<li>ほかの種類でさがす: ").append(String.join("、", otherKinds)).append("</li>");
    }
    if (query.category().isPresent() || query.tag().isPresent() || query.municipality().isPresent()) {
      SearchQuery keywordOnly = new SearchQuery(query.keyword(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty());
      html.append("<li><a class=\"clear-filters\" href=\"/resources/search")
          .append(query.keyword().isEmpty() ? "" : "?q=" + escape(PortalRoutes.enc(query.keyword())))
          .append("\">種類・タグ・地域の絞り込みを外してさがす</a>（")
          .append(catalog.search(keywordOnly).size()).append(" 件）</li>");
    }
    html.append("<li><a class=\"all-resources\" href=\"/resources/map\">すべての地域資源を地図と一覧で見る</a>（掲載 ")
        .append(catalog.allPublished().size()).append(" 件）、または<a href=\"/resources\">種類・タグから選ぶ</a></li>");
    return html.append("</ul></section>").toString();
  }

  /** The kinds (top-level categories) in which the same words do find something, with their counts. */
  private static List<String> otherKinds(Catalog catalog, SearchQuery query) {
    List<String> links = new ArrayList<>();
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
        links.add("<a class=\"other-kind\" href=\"" + escape(href.toString()) + "\">" + escape(kind.nameJa()) + "（"
            + found + "）</a>");
      }
    }
    return links;
  }
}
