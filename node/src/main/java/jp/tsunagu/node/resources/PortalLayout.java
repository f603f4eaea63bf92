package jp.tsunagu.node.resources;

import static jp.tsunagu.node.web.Html.escape;

import java.util.List;
import java.util.Optional;

/**
 * The frame of every public portal page: Japanese, phone first, the meta tags search engines and
 * link previews read (description, canonical, Open Graph), optional JSON-LD, and no inline script
 * (the Content-Security-Policy allows scripts from this site only; JSON-LD is data, not script).
 */
final class PortalLayout {

  /** The head facts of one page. */
  record Meta(String title, String description, String canonicalUrl, Optional<String> imageUrl,
      Optional<String> jsonLd, boolean withMap, String ogType) {

    static Meta simple(String title, String description, String canonicalUrl) {
      return new Meta(title, description, canonicalUrl, Optional.empty(), Optional.empty(), false, "website");
    }

    Meta mapped() {
      return new Meta(title, description, canonicalUrl, imageUrl, jsonLd, true, ogType);
    }
  }

  static final String LEAFLET = "/webjars/leaflet/1.9.4/dist/";

  private PortalLayout() {}

  static String page(PortalSettings settings, Meta meta, String main) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!doctype html>\n<html lang=\"ja\" prefix=\"og: https://ogp.me/ns#\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(meta.title())).append(" | ").append(escape(settings.networkName()))
        .append("</title>\n")
        .append("<meta name=\"description\" content=\"").append(escape(meta.description())).append("\">\n")
        .append("<link rel=\"canonical\" href=\"").append(escape(meta.canonicalUrl())).append("\">\n");
    og(html, "og:title", meta.title());
    og(html, "og:description", meta.description());
    og(html, "og:type", meta.ogType());
    og(html, "og:url", meta.canonicalUrl());
    og(html, "og:site_name", settings.networkName());
    og(html, "og:locale", "ja_JP");
    meta.imageUrl().ifPresent(image -> og(html, "og:image", image));
    html.append("<meta name=\"twitter:card\" content=\"summary\">\n")
        .append("<link rel=\"stylesheet\" href=\"/assets/app.css\">\n")
        .append("<link rel=\"stylesheet\" href=\"/assets/portal.css\">\n");
    if (meta.withMap()) {
      html.append("<link rel=\"stylesheet\" href=\"").append(LEAFLET).append("leaflet.css\">\n")
          .append("<script src=\"").append(LEAFLET).append("leaflet.js\" defer></script>\n")
          .append("<script src=\"/assets/map.js\" defer></script>\n");
    }
    html.append("<script src=\"/assets/portal.js\" defer></script>\n");
    meta.jsonLd().ifPresent(json -> html.append("<script type=\"application/ld+json\">").append(json)
        .append("</script>\n"));
    html.append("</head>\n<body class=\"portal\">\n");
    header(html, settings);
    html.append("<main id=\"main\" class=\"main portal-main\">\n").append(main).append("\n</main>\n");
    footer(html, settings);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void og(StringBuilder html, String property, String content) {
    html.append("<meta property=\"").append(property).append("\" content=\"").append(escape(content)).append("\">\n");
  }

  private static void header(StringBuilder html, PortalSettings settings) {
    html.append("<header class=\"site-header\">\n<a class=\"brand\" href=\"/resources\">")
        .append("<span class=\"brand-mark\" aria-hidden=\"true\">つ</span><span><span class=\"brand-name\">地域資源さがし")
        .append("</span><span class=\"network-name\">").append(escape(settings.networkName()))
        .append("</span></span></a>\n<nav class=\"portal-nav\" aria-label=\"地域資源メニュー\"><ul>")
        .append(navItem("/resources", "トップ"))
        .append(navItem("/resources/search", "さがす"))
        .append(navItem("/resources/map", "地図"))
        .append(navItem("/opendata", "オープンデータ"))
        .append("</ul></nav>\n</header>\n");
  }

  private static String navItem(String href, String label) {
    return "<li><a href=\"" + href + "\">" + label + "</a></li>";
  }

  private static void footer(StringBuilder html, PortalSettings settings) {
    html.append("<footer class=\"site-footer\"><span>").append(escape(settings.networkName()))
        .append(" 地域資源ポータル</span><span>掲載内容は変わることがあります。お出かけの前に問い合わせ先へご確認ください。</span></footer>\n");
  }

  /** A {@code <ul>} of links, escaped. */
  static String links(List<String[]> hrefAndLabel) {
    StringBuilder html = new StringBuilder("<ul class=\"chip-list\">");
    for (String[] link : hrefAndLabel) {
      html.append("<li><a class=\"chip\" href=\"").append(escape(link[0])).append("\">").append(escape(link[1]))
          .append("</a></li>");
    }
    return html.append("</ul>").toString();
  }
}
