package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.Map;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.browser.Browser;
import jp.tsunagu.node.testing.TestNodes;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A 伊那市 node whose geocoder is a local stand-in that knows 長野県伊那市高遠町西高遠, with three
 * published 通いの場 at known points (市役所前, 伊那市駅前 (室内), 高遠 (体操・運動教室, 体操)) and one
 * unpublished; {@link #withPatient} adds a doctor and a nurse caring for a patient who lives in 高遠.
 */
final class NearbyFixture implements AutoCloseable {

  static final String TAKATO_ADDRESS = "長野県伊那市高遠町西高遠";

  final GeocoderStandIn geocoder;
  final ResourceNode node;
  final String cityHall;
  final String station;
  final String takato;
  ResourceNode.Professional doctor;
  ResourceNode.Professional nurse;
  String patient;

  NearbyFixture(Path dir) throws Exception {
    geocoder = new GeocoderStandIn(Map.of(TAKATO_ADDRESS, new double[] {138.0614, 35.8336}));
    node = new ResourceNode(dir, TestNodes.json("ina").put("geocoder", geocoder.config()));
    cityHall = node.create(ResourceNode.salon("市役所前ふれあいサロン", 35.8275, 137.9540), true);
    station = node.create(ResourceNode.salon("伊那市駅前おしゃべりカフェ", 35.8408, 137.9553)
        .put("tags", new JsonArray().add("室内")), true);
    takato = node.create(ResourceNode.salon("高遠さくら体操クラブ", 35.8336, 138.0614).put("subCategory", "体操・運動教室")
        .put("tags", new JsonArray().add("体操")), true);
    node.create(ResourceNode.salon("非公開の準備中サロン", 35.8300, 137.9550), false);
  }

  /** 春日 トメ of 伊那市高遠町西高遠 (registered without the prefecture), cared for by a doctor and a nurse. */
  NearbyFixture withPatient() {
    doctor = node.professional("ina-isha", "北原", "健一", "doctor");
    nurse = node.professional("ina-kango2", "宮坂", "由美", "nurse");
    patient = ResourceNode.registerPatient(doctor, "春日", "トメ", "伊那市高遠町西高遠");
    ResourceNode.joinTeam(doctor, patient, nurse, "訪問看護");
    return this;
  }

  /** Logs {@code loginId} in to {@code node} in Chromium and opens the 周辺資源 tab of {@code patient}'s page. */
  static void openNearbyTab(Browser browser, TsunaguNode node, String loginId, String patient) {
    browser.driver().get(node.webUrl() + "/#/login");
    browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.driver().findElement(By.id("f-loginId")).sendKeys(loginId);
    browser.driver().findElement(By.id("f-password")).sendKeys(ResourceNode.PASSWORD);
    browser.driver().findElement(By.cssSelector("#login-form button")).click();
    browser.waiting().until(ExpectedConditions.urlContains("#/patients")); // where a professional lands
    browser.driver().get(node.webUrl() + "/#/patient/" + patient);
    browser.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-tab=nearby]"))).click();
  }

  @Override
  public void close() throws Exception {
    node.close();
    geocoder.close();
  }
}
