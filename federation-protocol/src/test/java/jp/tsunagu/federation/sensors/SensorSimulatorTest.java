package jp.tsunagu.federation.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.Base64Url;
import org.junit.jupiter.api.Test;

class SensorSimulatorTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final long DAY = 86_400_000L;
    private static final List<SensorSimulator.Device> DEVICES = List.of(
            new SensorSimulator.Device("h1-entrance", "entrance", "door"),
            new SensorSimulator.Device("h1-fridge", "fridge", "door"),
            new SensorSimulator.Device("h1-bathroom", "bathroom", "door"),
            new SensorSimulator.Device("h1-toilet", "toilet", "door"),
            new SensorSimulator.Device("h1-room", "room", "climate"));
    private static final long MIDNIGHT = ZonedDateTime.of(2026, 7, 20, 0, 0, 0, 0, TOKYO).toInstant().toEpochMilli();

    private static int hour(GatewayBatch.Reading r) {
        return Instant.ofEpochMilli(r.atMs()).atZone(TOKYO).getHour();
    }

    @Test
    void a_day_has_doors_at_meals_and_outings_quiet_nights_and_a_climate_reading_a_minute() {
        List<GatewayBatch.Reading> day = new SensorSimulator(7).between(new SensorSimulator.Household("h1", DEVICES),
                MIDNIGHT, MIDNIGHT + DAY);

        List<GatewayBatch.Reading> climate = day.stream().filter(r -> r.kind().equals("climate")).toList();
        assertThat(climate).hasSize(1440);
        double warm = climate.stream().filter(r -> hour(r) == 15).mapToDouble(r -> r.temperature().doubleValue()).average().orElseThrow();
        double cool = climate.stream().filter(r -> hour(r) == 4).mapToDouble(r -> r.temperature().doubleValue()).average().orElseThrow();
        assertThat(warm - cool).isGreaterThan(5);
        List<GatewayBatch.Reading> fridge = day.stream().filter(r -> r.device().equals("h1-fridge") && r.kind().equals("open")).toList();
        assertThat(fridge).anySatisfy(r -> assertThat(hour(r)).isBetween(6, 7));
        assertThat(fridge).anySatisfy(r -> assertThat(hour(r)).isBetween(11, 12));
        assertThat(fridge).anySatisfy(r -> assertThat(hour(r)).isBetween(17, 19));
        assertThat(day.stream().filter(r -> r.device().equals("h1-entrance") && hour(r) < 5)).isEmpty();
        assertThat(day.stream().filter(r -> r.device().equals("h1-bathroom") && r.kind().equals("open"))).hasSize(2);
        long opens = day.stream().filter(r -> r.kind().equals("open")).count();
        assertThat(day.stream().filter(r -> r.kind().equals("close")).count()).isEqualTo(opens);
    }

    @Test
    void the_same_window_plays_the_same_readings_however_it_is_cut() {
        SensorSimulator.Household household = new SensorSimulator.Household("h1", DEVICES);
        List<GatewayBatch.Reading> whole = new SensorSimulator(3).between(household, MIDNIGHT, MIDNIGHT + DAY);
        List<GatewayBatch.Reading> pieces = new ArrayList<>();
        for (long from = MIDNIGHT; from < MIDNIGHT + DAY; from += 7 * 60_000 + 13_000) {
            pieces.addAll(new SensorSimulator(3).between(household, from, Math.min(MIDNIGHT + DAY, from + 7 * 60_000 + 13_000)));
        }
        assertThat(pieces).containsExactlyInAnyOrderElementsOf(whole);
        assertThat(whole.stream().map(r -> r.device() + "/" + r.sequence()).distinct().count()).isEqualTo(whole.size());
    }

    @Test
    void a_household_gone_quiet_opens_no_door_but_its_room_sensor_goes_on() {
        long quietFrom = MIDNIGHT + 10 * 3_600_000L;
        List<GatewayBatch.Reading> day = new SensorSimulator(7).between(
                new SensorSimulator.Household("h1", DEVICES, quietFrom), MIDNIGHT, MIDNIGHT + DAY);

        assertThat(day.stream().filter(r -> r.kind().equals("open") && r.atMs() >= quietFrom)).isEmpty();
        assertThat(day.stream().filter(r -> r.kind().equals("climate") && r.atMs() >= quietFrom)).hasSize(14 * 60);
        assertThat(day.stream().filter(r -> r.kind().equals("open") && r.atMs() < quietFrom)).isNotEmpty();
    }

    @Test
    void a_batch_is_the_documented_json_and_its_signature_verifies_over_the_exact_bytes() {
        SigningKey key = SigningKey.generate();
        byte[] body = GatewayBatch.body("gw-1", "b-1", 1_765_000_000_000L, List.of(
                new GatewayBatch.Reading("d-1", 41, 1_764_999_990_000L, "open", null, null, 88),
                new GatewayBatch.Reading("d-2", 9000, 1_764_999_960_000L, "climate", new java.math.BigDecimal("24.5"),
                        new java.math.BigDecimal("55.0"), null)));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"gateway\":\"gw-1\",\"batch\":\"b-1\","
                + "\"sentMs\":1765000000000,\"readings\":[{\"device\":\"d-1\",\"sequence\":41,\"atMs\":1764999990000,"
                + "\"kind\":\"open\",\"battery\":88},{\"device\":\"d-2\",\"sequence\":9000,\"atMs\":1764999960000,"
                + "\"kind\":\"climate\",\"temperature\":24.5,\"humidity\":55}]}");
        assertThat(key.verificationKey().verify(body, Base64Url.decode(GatewayBatch.sign(key, body), "x"))).isTrue();
        Map<String, Object> parsed = Json.parseObject(new String(body, StandardCharsets.UTF_8));
        assertThat(parsed).containsKeys("gateway", "batch", "sentMs", "readings");
    }
}
