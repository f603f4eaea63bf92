package jp.tsunagu.node.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What every Leaflet map of the node must show in a real browser: its markers, below the header. */
public final class MapChecks {

  /** Where the node serves Leaflet's marker images (the WebJar's folder). */
  public static final String LEAFLET_IMAGES = "/webjars/leaflet/1.9.4/dist/images/";

  private MapChecks() {}

  /**
   * The map under {@code mapSelector} has {@code count} marker images, every one loaded (a broken
   * image has no natural width) from the WebJar's folder, and each marker image the map asks for
   * (icon and shadow) is answered 200.
   */
  @SuppressWarnings("unchecked")
  public static void assertMarkerImagesLoaded(Browser browser, String mapSelector, int count) {
    var driver = browser.driver();
    browser.waiting().until(d -> Boolean.TRUE.equals(driver.executeScript("""
        const images = [...document.querySelectorAll(arguments[0] + ' img.leaflet-marker-icon')];
        return images.length === arguments[1] && images.every(i => i.complete);
        """, mapSelector, count)));
    List<Map<String, Object>> images = (List<Map<String, Object>>) driver.executeScript("""
        return [...document.querySelectorAll(arguments[0] + ' img.leaflet-marker-icon, '
            + arguments[0] + ' img.leaflet-marker-shadow')]
          .map(i => ({ src: i.src, width: i.naturalWidth, shadow: i.classList.contains('leaflet-marker-shadow') }));
        """, mapSelector);
    assertThat(images).filteredOn(i -> !(Boolean) i.get("shadow")).hasSize(count);
    for (Map<String, Object> image : images) {
      assertThat((String) image.get("src")).as("marker image address").contains(LEAFLET_IMAGES);
      assertThat((Long) image.get("width")).as("natural width of " + image.get("src")).isPositive();
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    List<Long> statuses = (List<Long>) driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const sources = [...new Set([...document.querySelectorAll(arguments[0] + ' img')]
          .map(i => i.src).filter(s => s.includes('/webjars/leaflet/')))];
        Promise.all(sources.map(s => fetch(s).then(r => r.status, () => -1))).then(done);
        """, mapSelector);
    assertThat(statuses).as("Leaflet's images as the node answers them").isNotEmpty().containsOnly(200L);
  }

  /**
   * The map starts below the header; and where the two meet, the header paints on top. To make them
   * meet, the header is held at the top of the window as a sticky header is (position: sticky) and
   * the map scrolled beneath it: Leaflet's panes (z-index 400+) must not cover it.
   */
  @SuppressWarnings("unchecked")
  public static void assertHeaderNotCoveredByMap(Browser browser, String mapSelector) {
    var driver = browser.driver();
    Map<String, Object> unscrolled = (Map<String, Object>) driver.executeScript("""
        window.scrollTo(0, 0);
        const header = document.querySelector('.site-header').getBoundingClientRect();
        const map = document.querySelector(arguments[0]).getBoundingClientRect();
        return { headerBottom: header.bottom, mapTop: map.top };
        """, mapSelector);
    assertThat(((Number) unscrolled.get("mapTop")).doubleValue()).as("the map starts below the header")
        .isGreaterThanOrEqualTo(((Number) unscrolled.get("headerBottom")).doubleValue());
    List<String> covering = (List<String>) driver.executeScript("""
        // room to scroll on a short page, so the map can reach the top of the window
        document.body.style.paddingBottom = '100vh';
        const header = document.querySelector('.site-header');
        header.style.position = 'sticky';
        header.style.top = '0';
        const map = document.querySelector(arguments[0]);
        window.scrollTo(0, map.getBoundingClientRect().top + window.scrollY - 5);
        const box = header.getBoundingClientRect();
        const y = (Math.max(box.top, 0) + box.bottom) / 2;
        return [0.05, 0.3, 0.5, 0.7, 0.95].map(f => {
          const at = document.elementFromPoint(box.left + f * box.width, y);
          return at && header.contains(at) ? null : (at ? at.tagName + '.' + at.className : 'nothing at y=' + y);
        }).filter(Boolean);
        """, mapSelector);
    assertThat(covering).as("what paints over the header with the map scrolled beneath it").isEmpty();
  }
}
