package jp.tsunagu.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.naming.ldap.LdapName;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.demo.DemoFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The demo walked end to end in real Chromium: a facility applies to 伊那市, the 行政 approves, the
 * mails are read in the デモ用メールボックス, the certificate is retrieved with the number from the
 * mail, and the new administrator logs in with it. Each node at its own {@code *.localhost} name keeps
 * its own session in one browser, and lists its own demo people; a {@code serve} node has none of it.
 */
class DemoMailboxBrowserTest {

  @TempDir
  Path dir;

  private static String url(TsunaguNode node) {
    return node.services().config().webUrl();
  }

  private static void open(Browser browser, String url) {
    browser.driver().get(url);
    browser.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-identity=ready]")));
  }

  private static void login(Browser browser, TsunaguNode node, String loginId, String password) {
    open(browser, url(node) + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(password);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
  }

  @Test
  void a_facility_applies_is_approved_reads_its_mail_in_the_demo_mailbox_and_logs_in_with_its_certificate()
      throws Exception {
    try (DemoFederation demo = DemoFederation.start(dir, 48443)) {
      TsunaguNode ina = demo.nodes().get(0);
      TsunaguNode minamiminowa = demo.nodes().get(1);
      assertThat(url(ina)).isEqualTo("https://ina.localhost:" + ina.webPort());
      assertThat(url(minamiminowa)).isEqualTo("https://minamiminowa.localhost:" + minamiminowa.webPort());
      JsonObject form = RegistrationFlowTest.form("tenryu-kanri", "tenryu@kango.example.jp");
      assertThat(new IdentityClient(ina).post("/api/v1/registrations", form).statusCode()).isEqualTo(201);

      try (Browser browser = new Browser(Browser.DESKTOP)) {
        open(browser, url(ina) + "/#/login");
        WebElement accounts = browser.waiting()
            .until(ExpectedConditions.visibilityOfElementLocated(By.id("demo-accounts")));
        assertThat(accounts.getText()).contains("ina-gyosei", "田中 明子", DemoAccounts.PASSWORD);
        browser.screenshot("demo-login-accounts-pc");
        accounts.findElements(By.cssSelector("button.demo-login")).stream()
            .filter(b -> b.getText().equals("ina-gyosei")).findFirst().orElseThrow().click();
        browser.driver().findElement(By.cssSelector("#login-form button")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("applications"), "tenryu-kanri"));

        // A second node in the same browser keeps its own session: 伊那市 stays logged in.
        login(browser, minamiminowa, "minamiminowa-gyosei", DemoAccounts.PASSWORD);
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "審査待ちの申請はありません"));
        assertThat(browser.driver().findElements(By.id("demo-accounts"))).isEmpty();
        open(browser, url(ina) + "/#/approvals");
        WebElement row = browser.waiting().until(d -> d.findElements(By.cssSelector("#applications li")).stream()
            .filter(li -> li.getText().contains("tenryu-kanri")).findFirst().orElse(null));
        row.findElement(By.cssSelector("button.approve")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("approval-result"),
            "3通のメール"));

        browser.driver().get(demo.mailbox().url().toString());
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"),
            "デモ用メールボックス"));
        assertThat(browser.driver().findElements(By.cssSelector("article.mail"))
            .stream().filter(m -> m.getText().contains("tenryu@kango.example.jp")).count()).isEqualTo(3);
        WebElement certificateMail = browser.driver().findElements(By.cssSelector("article.mail")).stream()
            .filter(m -> m.findElement(By.className("to")).getText().contains("tenryu@kango.example.jp"))
            .filter(m -> m.findElement(By.className("subject")).getText().contains("取得番号"))
            .findFirst().orElseThrow();
        String body = certificateMail.findElement(By.className("body")).getText();
        browser.screenshot("demo-mailbox-pc");
        assertThat(body).contains(url(ina) + "/#/certificate");
        String number = RegistrationFlowTest.find(body, "取得番号: ([0-9-]+)");
        String password = RegistrationFlowTest.find(body, "パスワード: (\\S+)");

        var download = new IdentityClient(ina).postForBytes("/api/v1/certificates/download",
            new JsonObject().put("retrievalNumber", number).put("password", password));
        assertThat(download.statusCode()).isEqualTo(200);
        Browser.ClientCertificate certificate = new Browser.ClientCertificate(download.body(), password,
            URI.create(url(ina)), commonName(download.body(), password));

        try (Browser own = Browser.withCertificate(Browser.PHONE, certificate)) {
          login(own, ina, "tenryu-kanri", form.getString("password"));
          own.waiting().until(d -> d.getCurrentUrl().contains("#/guide")); // what a facility account is for
          own.driver().get(url(ina) + "/#/facility");
          own.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("staff-form")));
          @SuppressWarnings("unchecked")
          Map<String, Object> me = (Map<String, Object>) own.driver().executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "fetch('/api/v1/auth/me').then(r => r.json()).then(done);");
          assertThat(me.get("certificateLogin")).isEqualTo(true);
          own.screenshot("demo-certificate-login-phone");
        }
      }

      // Each node its own people: no staff or patient name on two nodes.
      Set<String> seen = new HashSet<>();
      for (TsunaguNode node : demo.nodes()) {
        for (String name : names(node, "select family_name || ' ' || given_name from users where home_node is null")) {
          assertThat(seen.add(name)).as("staff %s only on one node", name).isTrue();
        }
        for (String name : names(node, "select p.family_name || ' ' || p.given_name from patients p"
            + " join care_boards b on b.id = p.id where b.home_node is null")) {
          assertThat(seen.add(name)).as("patient %s only on one node", name).isTrue();
        }
      }
    }
  }

  @Test
  void a_serve_node_has_no_mailbox_and_no_demo_accounts(@TempDir Path serveDir) {
    try (IdentityFixture serve = new IdentityFixture(serveDir, false)) {
      IdentityClient client = new IdentityClient(serve.node);
      assertThat(client.get("/api/v1/auth/demo-accounts").statusCode()).isEqualTo(404);
      assertThat(client.get("/demo/mailbox").statusCode()).isEqualTo(404);
      assertThat(client.get("/").body()).doesNotContain("メールボックス");
    }
  }

  private static String commonName(byte[] pkcs12, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(pkcs12), password.toCharArray());
    X509Certificate certificate = (X509Certificate) store.getCertificate(store.aliases().nextElement());
    return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
        .filter(r -> r.getType().equalsIgnoreCase("CN")).findFirst().orElseThrow().getValue().toString();
  }

  private static List<String> names(TsunaguNode node, String sql) {
    return node.services().database().submitRead(c -> {
      try (var s = c.prepareStatement(sql); var rs = s.executeQuery()) {
        List<String> out = new java.util.ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }).join();
  }
}
