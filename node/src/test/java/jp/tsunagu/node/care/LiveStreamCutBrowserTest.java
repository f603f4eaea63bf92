package jp.tsunagu.node.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.testing.CuttableForwarder;
import jp.tsunagu.node.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The patient page's live stream cut on its way (an instance of a clustered node gone in a failover,
 * a proxy restarted) while a member posts: the browser opens the stream again by itself from the id of
 * the last event it heard, and the stream sends first the event of the post written meanwhile, so the
 * post shows without a reload of the page or of its view and without a later event. Real Chromium, a
 * real node, a real TCP forwarder in front of it.
 */
class LiveStreamCutBrowserTest {

  @TempDir
  Path dir;

  @Test
  void a_post_written_while_the_stream_was_cut_shows_once_the_stream_is_open_again() throws Exception {
    int port = TestPorts.freePort();
    URI front = URI.create("https://127.0.0.1:" + port);
    try (CuttableForwarder forwarder = new CuttableForwarder(port);
        CareTestbed bed = CareTestbed.start(dir, new JsonObject().put("portal", new JsonObject()
            .put("publicUrl", front.toString())))) {
      forwarder.to(bed.node.webPort());
      CareClient doctor = bed.professional("dr-cut", "北原", "健一", "doctor", bed.clinic);
      CareClient nurse = bed.professional("ns-cut", "宮坂", "由美", "nurse", bed.nursingStation);
      String patient = doctor.post("/api/v1/patients", CareApiTest.patient("春日", "トメ", "カスガ", "トメ", "1931-05-12"))
          .json().getString("id");
      doctor.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
      nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
      try (Browser browser = new Browser(Browser.PHONE)) {
        bed.openPatient(browser, "dr-cut", patient, front);
        WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
        // The page reads the timeline, then opens its stream: a post written between the two is in neither
        // (a stream opened without an id replays nothing), so the first post waits for the stream's opening,
        // audited just before it listens.
        wait.until(driver -> {
          try {
            return !bed.auditDetails("care.live.open", "patient:" + patient).isEmpty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        // The stream works through the forwarder: a post arrives live.
        nurse.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
            .put("body", "切断前の連絡です。"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "切断前の連絡です。"));
        // Reading the view anew (the fallback of a stream that cannot replay) reads the team too.
        String teamReads = "return performance.getEntriesByType('resource')"
            + ".filter(e => e.name.endsWith('/patients/" + patient + "/team')).length";
        Object teamReadsBefore = browser.driver().executeScript(teamReads);
        String target = "patient:" + patient;
        int opensBefore = bed.auditDetails("care.live.open", target).size();

        forwarder.cut(true);
        // Written straight to the node while the browser cannot reach it: its live event reaches no stream.
        nurse.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
            .put("body", "切断中に書いた連絡です。"));
        Thread.sleep(1_500);
        assertThat(browser.driver().findElement(By.id("timeline")).getText()).doesNotContain("切断中に書いた連絡です。");
        forwarder.restore();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "切断中に書いた連絡です。"));
        // Brought by its event, sent first on the stream opened again from the last id heard; the view
        // was not read anew.
        java.util.List<String> opens = bed.auditDetails("care.live.open", target);
        assertThat(opens.subList(opensBefore, opens.size())).isNotEmpty()
            .allSatisfy(detail -> assertThat(new JsonObject(detail).getLong("after")).isPositive());
        assertThat(browser.driver().executeScript(teamReads)).isEqualTo(teamReadsBefore);
        // And the stream is live again: a later post arrives by its event.
        nurse.post("/api/v1/patients/" + patient + "/posts", new JsonObject().put("category", "連絡")
            .put("body", "再接続後の連絡です。"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "再接続後の連絡です。"));
      }
    }
  }
}
