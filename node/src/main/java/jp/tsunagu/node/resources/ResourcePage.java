package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import java.util.Optional;

/** The page of one resource (its stable URL) and its large-type print view. */
final class ResourcePage {

  private ResourcePage() {}

  static String render(PortalSettings settings, Resource r, Vocabulary v, String baseUrl) {
    ResourceFields f = r.fields();
    String url = baseUrl + r.path();
    Optional<String> image = r.photoIds().stream().findFirst().map(p -> baseUrl + r.path() + "/photos/" + p);
    String description = summary(f, v);
    StringBuilder main = new StringBuilder("<article class=\"resource-page\" data-id=\"").append(escape(r.id()))
        .append("\"><nav class=\"breadcrumb\" aria-label=\"現在地\"><a href=\"/resources\">トップ</a> › <a href=\"")
        .append("/resources/search?category=").append(PortalRoutes.enc(f.category())).append("\">")
        .append(escape(v.nameOf(f.category()))).append("</a></nav>")
        .append("<h1>").append(escape(f.name())).append("</h1>");
    if (!f.nameKana().isBlank()) {
      main.append("<p class=\"kana\">").append(escape(f.nameKana())).append("</p>");
    }
    if (!f.tags().isEmpty()) {
      main.append("<ul class=\"tag-list\">");
      f.tags().forEach(t -> main.append("<li><a href=\"/resources/search?tag=").append(escape(PortalRoutes.enc(t)))
          .append("\">").append(escape(t)).append("</a></li>"));
      main.append("</ul>");
    }
    for (String photo : r.photoIds()) {
      main.append("<img class=\"resource-photo\" src=\"").append(escape(r.path() + "/photos/" + photo))
          .append("\" alt=\"").append(escape(f.name())).append("の写真\">");
    }
    main.append("<section class=\"card\">").append(ResourceHtml.paragraphs(f.description()))
        .append(ResourceHtml.facts(r, v));
    if (!f.url().isBlank()) {
      main.append("<p><a href=\"").append(escape(f.url())).append("\" rel=\"noopener\">ホームページ</a></p>");
    }
    if (!f.phone().isBlank()) {
      main.append("<p><a class=\"button\" href=\"tel:").append(escape(f.phone().replace("-", ""))).append("\">")
          .append("電話する ").append(escape(f.phone())).append("</a></p>");
    }
    main.append("</section><section class=\"card\"><h2>場所</h2>").append(ResourceHtml.map(settings, "here"))
        .append(ResourceHtml.list("here", java.util.List.of(new Catalog.Hit(r, Optional.empty())), v))
        .append("</section><p class=\"page-actions\"><a class=\"button\" href=\"").append(escape(r.path()))
        .append("/print\">大きな文字で印刷</a></p></article>");
    PortalLayout.Meta meta = new PortalLayout.Meta(f.name(), description, url, image,
        Optional.of(ResourceJsonLd.embeddable(ResourceJsonLd.of(r, v, url, baseUrl))), true, "place");
    return PortalLayout.page(settings, meta, main.toString());
  }

  static String print(PortalSettings settings, Resource r, Vocabulary v, String baseUrl) {
    ResourceFields f = r.fields();
    String main = "<article class=\"print-sheet\"><p class=\"no-print\"><button type=\"button\" class=\"button\""
        + " data-action=\"print\">印刷する</button> <a href=\"" + escape(r.path()) + "\">戻る</a></p>"
        + "<h1>" + escape(f.name()) + "</h1>" + ResourceHtml.paragraphs(f.description()) + ResourceHtml.facts(r, v)
        + "<p class=\"print-url\">くわしくは " + escape(baseUrl + r.path()) + "</p></article>";
    PortalLayout.Meta meta = PortalLayout.Meta.simple(f.name() + "（印刷用）", summary(f, v), baseUrl + r.path());
    return PortalLayout.page(settings, meta, main).replace("<body class=\"portal\">",
        "<body class=\"portal print-view\">");
  }

  /** The meta description: what, where, when, in one line. */
  private static String summary(ResourceFields f, Vocabulary v) {
    String text = v.nameOf(f.subCategory().orElse(f.category())) + "。" + ResourceHtml.fullAddress(f)
        + (f.schedule().labelJa().isBlank() ? "" : "。" + f.schedule().labelJa())
        + (f.description().isBlank() ? "" : "。" + f.description().replaceAll("\\s+", " "));
    return text.length() > 160 ? text.substring(0, 159) + "…" : text;
  }
}
