package jp.tsunagu.node.emergency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import jp.tsunagu.node.care.CareApiTest;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.care.CareTestbed;
import jp.tsunagu.node.identity.AccountSeeder;
import jp.tsunagu.node.identity.Role;

/** The people of the emergency tests on a care test node: 救急・消防 and facility administrator accounts, patients. */
final class EmergencyBed {

  private EmergencyBed() {}

  /** A 救急・消防 account (no facility), logged in. */
  static CareClient responder(CareTestbed bed, String loginId, String family, String given) {
    return loggedIn(bed, new AccountSeeder.Person(loginId, loginId + "@example.jp", family, given, "キュウキュウ",
        "タロウ", "ems_crew", Role.EMERGENCY_RESPONDER, Optional.empty()));
  }

  /** A facility administrator of the clinic, logged in. */
  static CareClient facilityAdmin(CareTestbed bed, String loginId) {
    return loggedIn(bed, new AccountSeeder.Person(loginId, loginId + "@example.jp", "施設", "管理", "シセツ", "カンリ",
        "nurse", Role.FACILITY_ADMIN, Optional.of(bed.clinic)));
  }

  private static CareClient loggedIn(CareTestbed bed, AccountSeeder.Person person) {
    AccountSeeder.Created created = bed.seeder.createUser(person, CareTestbed.PASSWORD, "windows");
    CareClient client = new CareClient(bed.node, created.userId());
    client.login(person.loginId(), CareTestbed.PASSWORD);
    return client;
  }

  /** Registers a patient of the doctor (主治医) and returns the id. */
  static String patient(CareClient doctor, JsonObject body) {
    CareClient.Reply created = doctor.post("/api/v1/patients", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }

  static JsonObject person(String family, String given, String familyKana, String givenKana, String birth,
      String address, String phone) {
    return CareApiTest.patient(family, given, familyKana, givenKana, birth).put("address", address).put("phone", phone)
        .put("acpNotes", "");
  }

  static JsonObject plan() {
    return new JsonObject().put("wishes", "自宅で最期まで過ごしたい。").put("resuscitation", "dnar")
        .put("resuscitationNote", "心臓マッサージは希望しない").put("proxyName", "星野 和子").put("proxyRelation", "長女")
        .put("proxyPhone", "090-1111-2222").put("participants", "本人、長女、主治医").put("confirmedOn", "2025-01-15");
  }

  static JsonObject access(String patientId) {
    return new JsonObject().put("patientId", patientId).put("reason", "意識障害で救急要請、既往歴の確認")
        .put("dispatchNumber", "R7-01234");
  }
}
