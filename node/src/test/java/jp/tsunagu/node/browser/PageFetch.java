package jp.tsunagu.node.browser;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** What the browser receives for an address, fetched inside the page with its session (as a link would be). */
public final class PageFetch {

  /** The status, Content-Type and body as the browser got them. */
  public record Answer(long status, String contentType, byte[] body) {}

  private PageFetch() {}

  @SuppressWarnings("unchecked")
  public static Answer get(Browser browser, String address) {
    var driver = browser.driver();
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    Map<String, Object> answer = (Map<String, Object>) driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], { credentials: 'same-origin' }).then(async r => {
          const bytes = new Uint8Array(await r.arrayBuffer());
          let text = '';
          for (let i = 0; i < bytes.length; i += 8192) {
            text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
          }
          done({ status: r.status, type: r.headers.get('Content-Type') || '', body: btoa(text) });
        }).catch(e => done({ status: -1, type: String(e), body: '' }));
        """, address);
    return new Answer((Long) answer.get("status"), (String) answer.get("type"),
        Base64.getDecoder().decode((String) answer.get("body")));
  }
}
