package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One dose given to a patient, as recorded (the current version): the vaccine (a code of the
 * node's list), which dose of it, when, where, the product (メーカー, ロット番号), who gave it, the
 * 接種券番号, the 予診, the observation afterwards, and the uploads of the 接種券 and 予診票 photos.
 */
record Dose(String id, String patientId, String vaccine, int doseNumber, Instant givenAt, Place place,
    String manufacturer, String lotNumber, String vaccinator, String ticketNumber, Screening screening,
    Observation observation, List<String> ticketPhotos, List<String> screeningPhotos) {

  /** Everything the dose says, as stored in each version and carried by its team event. */
  JsonObject toJson() {
    return new JsonObject().put("id", id).put("patientId", patientId).put("vaccine", vaccine)
        .put("doseNumber", doseNumber).put("givenAt", givenAt.toString()).put("place", place.code())
        .put("manufacturer", manufacturer).put("lotNumber", lotNumber).put("vaccinator", vaccinator)
        .put("ticketNumber", ticketNumber).put("screening", screening.toJson())
        .put("observation", observation.toJson()).put("ticketPhotos", new JsonArray(ticketPhotos))
        .put("screeningPhotos", new JsonArray(screeningPhotos));
  }

  Dose withId(String newId, String newPatientId) {
    return new Dose(newId, newPatientId, vaccine, doseNumber, givenAt, place, manufacturer, lotNumber, vaccinator,
        ticketNumber, screening, observation, ticketPhotos, screeningPhotos);
  }
}
