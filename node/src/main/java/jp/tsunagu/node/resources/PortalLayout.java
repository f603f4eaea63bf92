package jp.tsunagu.node.resources;

import java.util.Optional;

/**
 * What the frame of every public portal page ({@code resources/layout.jte}) needs: Japanese, phone
 * first, the meta tags search engines and link previews read (description, canonical, Open Graph),
 * optional JSON-LD, and no inline script (the Content-Security-Policy allows scripts from this site
 * only; JSON-LD is data, not script).
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

  /** One link of a list of chips ({@code resources/chips.jte}). */
  record Link(String href, String label) {}

  static final String LEAFLET = "/webjars/leaflet/1.9.4/dist/";

  private PortalLayout() {}
}
