package jp.tsunagu.federation.sensors;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.Base64Url;

/**
 * A batch of watch-sensor readings as a gateway sends it to a node ({@code POST /api/v1/gateway/batches}):
 * a JSON object whose exact bytes the gateway signs with its own Ed25519 key; the signature travels,
 * unpadded base64url, in the {@value #SIGNATURE_HEADER} header. Signing the bytes sent (not a
 * canonical form of them) lets a provider implement it with any Ed25519 library and no JSON
 * canonicalisation; the node verifies before it reads anything but the gateway id.
 *
 * <pre>{"gateway":"gw-…","batch":"…","sentMs":1765000000000,"readings":[
 *   {"device":"…","sequence":41,"atMs":1764999990000,"kind":"open","battery":88},
 *   {"device":"…","sequence":9000,"atMs":1764999960000,"kind":"climate","temperature":24.5,"humidity":55.0}]}</pre>
 */
public final class GatewayBatch {

    /** Where a node takes batches, on its HTTPS listener. */
    public static final String PATH = "/api/v1/gateway/batches";
    /** The header carrying the signature of the body. */
    public static final String SIGNATURE_HEADER = "Tsunagu-Signature";

    /**
     * One reading.
     *
     * @param device      the sensor's id as the provider names it (registered to the gateway on the node)
     * @param sequence    the device's own counter: a reading is stored once per (device, sequence)
     * @param atMs        when the device observed it, epoch milliseconds
     * @param kind        {@code open} or {@code close} (a door), {@code climate} (temperature and humidity)
     * @param temperature °C with one decimal, climate only (else null)
     * @param humidity    relative humidity in % with one decimal, climate only (else null)
     * @param battery     0–100 %, or null when the device does not report it
     */
    public record Reading(String device, long sequence, long atMs, String kind, BigDecimal temperature,
            BigDecimal humidity, Integer battery) {

        /** @return the reading as the JSON members the wire format names */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("device", device);
            json.put("sequence", sequence);
            json.put("atMs", atMs);
            json.put("kind", kind);
            if (temperature != null) {
                json.put("temperature", temperature);
            }
            if (humidity != null) {
                json.put("humidity", humidity);
            }
            if (battery != null) {
                json.put("battery", battery);
            }
            return json;
        }
    }

    private GatewayBatch() {
    }

    /**
     * @param gateway  the gateway's id on the node
     * @param batch    the gateway's id for this batch (logs and answers; readings are idempotent by themselves)
     * @param sentMs   when the gateway sent it, epoch milliseconds
     * @param readings the readings, in any order
     * @return the body's bytes (UTF-8 JSON), to sign and send as they are
     */
    public static byte[] body(String gateway, String batch, long sentMs, List<Reading> readings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gateway", gateway);
        json.put("batch", batch);
        json.put("sentMs", sentMs);
        List<Object> items = new ArrayList<>(readings.size());
        readings.forEach(r -> items.add(r.toJson()));
        json.put("readings", items);
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param key  the gateway's private key
     * @param body the exact bytes that will be sent
     * @return the value of the {@value #SIGNATURE_HEADER} header
     */
    public static String sign(SigningKey key, byte[] body) {
        return Base64Url.encode(key.sign(body));
    }
}
