package jp.tsunagu.node.resources;

import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.web.Templates;

/** The page of one resource (its stable URL) and its large-type print view. */
final class ResourcePage {

  /** What {@code resources/resourcePage.jte} and {@code resources/printPage.jte} show. */
  record View(PortalSettings settings, PortalLayout.Meta meta, Resource resource, Vocabulary vocabulary,
      String url, ResourceHtml.ResultList here) {}

  private ResourcePage() {}

  static String render(PortalSettings settings, Resource r, Vocabulary v, String baseUrl) {
    ResourceFields f = r.fields();
    String url = baseUrl + r.path();
    Optional<String> image = r.photoIds().stream().findFirst().map(p -> baseUrl + r.path() + "/photos/" + p);
    PortalLayout.Meta meta = new PortalLayout.Meta(f.name(), summary(f, v), url, image,
        Optional.of(ResourceJsonLd.embeddable(ResourceJsonLd.of(r, v, url, baseUrl))), true, "place");
    ResourceHtml.ResultList here = new ResourceHtml.ResultList("here",
        List.of(ResourceHtml.item(r, v, Optional.empty())));
    return Templates.render("resources/resourcePage.jte", new View(settings, meta, r, v, url, here));
  }

  static String print(PortalSettings settings, Resource r, Vocabulary v, String baseUrl) {
    ResourceFields f = r.fields();
    PortalLayout.Meta meta = PortalLayout.Meta.simple(f.name() + "（印刷用）", summary(f, v), baseUrl + r.path());
    return Templates.render("resources/printPage.jte", new View(settings, meta, r, v, baseUrl + r.path(), null));
  }

  /** The meta description: what, where, when, in one line. */
  private static String summary(ResourceFields f, Vocabulary v) {
    String text = v.nameOf(f.subCategory().orElse(f.category())) + "。" + ResourceHtml.fullAddress(f)
        + (f.schedule().labelJa().isBlank() ? "" : "。" + f.schedule().labelJa())
        + (f.description().isBlank() ? "" : "。" + f.description().replaceAll("\\s+", " "));
    return text.length() > 160 ? text.substring(0, 159) + "…" : text;
  }
}
