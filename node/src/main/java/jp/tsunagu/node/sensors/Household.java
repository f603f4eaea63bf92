package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A monitored household as enrolled: the resident, the consent, the family contacts, the sensors, the rules. */
record Household(String id, String patientId, String registerPersonKey, String residentName, String address,
    String district, String phone, String status, Consent consent, Integer noActivityHours, String enrolledBy,
    String enrolledAt, String withdrawnAt, List<Contact> contacts, List<Device> devices, HouseholdRules rules) {

  /** Who consented, as what to the resident, when, and the scan of the signed form (optional). */
  record Consent(String by, String relation, String at, String scanId) {
    JsonObject toJson() {
      return new JsonObject().put("by", by).put("relation", relation).put("at", at).put("scanId", scanId);
    }
  }

  /** A family contact the call centre phones, in order. */
  record Contact(int ordinal, String name, String relation, String phone, String mail) {
    JsonObject toJson() {
      return new JsonObject().put("ordinal", ordinal).put("name", name).put("relation", relation).put("phone", phone)
          .put("mail", mail);
    }
  }

  /** A sensor in the home and the gateway that may report it. */
  record Device(String id, String gatewayId, String place, String kind, Long lastSeenMs, Integer battery) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("gatewayId", gatewayId).put("place", place)
          .put("placeLabel", HouseholdPlaces.label(place)).put("kind", kind).put("lastSeenMs", lastSeenMs)
          .put("battery", battery);
    }
  }

  /** The household with the resident as the 要援護者台帳 records them (a register person's enrolment). */
  Household fromRegister(RegisterPeople.Resident r) {
    return new Household(id, patientId, r.key(), r.name(), r.address(), r.district(), r.phone(), status, consent,
        noActivityHours, enrolledBy, enrolledAt, withdrawnAt, contacts, devices, rules);
  }

  boolean active() {
    return "active".equals(status);
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("patientId", patientId).put("registerPersonKey", registerPersonKey)
        .put("residentName", residentName).put("address", address).put("district", district).put("phone", phone)
        .put("status", status).put("consent", consent.toJson()).put("noActivityHours", noActivityHours)
        .put("enrolledAt", enrolledAt).put("withdrawnAt", withdrawnAt)
        .put("contacts", new JsonArray(contacts.stream().map(Contact::toJson).toList()))
        .put("devices", new JsonArray(devices.stream().map(Device::toJson).toList()))
        .put("rules", rules.toJson());
  }
}
