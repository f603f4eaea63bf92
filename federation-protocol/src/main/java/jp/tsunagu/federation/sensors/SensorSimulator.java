package jp.tsunagu.federation.sensors;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Plays the sensors of monitored households with the daily life of someone living alone, for the
 * admin CLI's simulator and a demo node: the front door in the morning and afternoon, the fridge at
 * meals, the bath in the evening, the toilet every few hours and now and then at night, quiet
 * nights; the room's temperature and humidity following the day (warmest mid-afternoon, most humid
 * at dawn), one climate reading a minute.
 *
 * <p>Deterministic: a household's day is drawn from the seed, the household and the date alone, and
 * each reading's sequence is derived from its time, so that playing the same window twice (a
 * restarted simulator, a resent batch) produces the same readings and the node stores them once.
 * A household can be made to go quiet from a given moment: its doors stop (its climate sensor goes
 * on reporting, as it would for a resident who has fallen).
 */
public final class SensorSimulator {

    /** {@code entrance}, {@code fridge}, {@code bathroom}, {@code toilet}, {@code room}. */
    public record Device(String id, String place, String kind) {}

    /**
     * @param id           the household's id (only seeds its days)
     * @param devices      its sensors
     * @param quietFromMs  from this moment on no door opens ({@link Long#MAX_VALUE}: never)
     */
    public record Household(String id, List<Device> devices, long quietFromMs) {

        public Household {
            devices = List.copyOf(devices);
        }

        /** A household that never goes quiet. */
        public Household(String id, List<Device> devices) {
            this(id, devices, Long.MAX_VALUE);
        }
    }

    private static final long MINUTE = 60_000;
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    private final long seed;

    /** @param seed the same seed plays the same days */
    public SensorSimulator(long seed) {
        this.seed = seed;
    }

    /**
     * @param household the household
     * @param fromMs    inclusive, epoch milliseconds
     * @param toMs      exclusive
     * @return its readings observed in {@code [fromMs, toMs)}, oldest first
     */
    public List<GatewayBatch.Reading> between(Household household, long fromMs, long toMs) {
        List<GatewayBatch.Reading> readings = new ArrayList<>();
        for (Device device : household.devices()) {
            if ("climate".equals(device.kind())) {
                climate(household, device, fromMs, toMs, readings);
            } else {
                doors(household, device, fromMs, toMs, readings);
            }
        }
        readings.sort(Comparator.comparingLong(GatewayBatch.Reading::atMs));
        return readings;
    }

    private void climate(Household household, Device device, long fromMs, long toMs, List<GatewayBatch.Reading> out) {
        int battery = battery(household, device);
        for (long minute = Math.floorDiv(fromMs + MINUTE - 1, MINUTE); minute * MINUTE < toMs; minute++) {
            long at = minute * MINUTE;
            double hour = Instant.ofEpochMilli(at).atZone(ZONE).toLocalTime().toSecondOfDay() / 3600.0;
            Random noise = new Random(mix(household.id(), device.id(), minute));
            // Warmest around 15:00, coolest before dawn; humidity moves the other way.
            double phase = Math.cos((hour - 15) / 24 * 2 * Math.PI);
            double temperature = 22 + 3.5 * phase + noise.nextGaussian() * 0.2;
            double humidity = 55 - 8 * phase + noise.nextGaussian() * 0.8;
            out.add(new GatewayBatch.Reading(device.id(), minute, at, "climate", tenth(temperature), tenth(humidity),
                    battery));
        }
    }

    private void doors(Household household, Device device, long fromMs, long toMs, List<GatewayBatch.Reading> out) {
        int battery = battery(household, device);
        LocalDate first = Instant.ofEpochMilli(fromMs).atZone(ZONE).toLocalDate();
        LocalDate last = Instant.ofEpochMilli(toMs).atZone(ZONE).toLocalDate();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            long midnight = day.atStartOfDay(ZONE).toInstant().toEpochMilli();
            Random random = new Random(mix(household.id(), device.id(), day.toEpochDay()));
            for (long[] opening : DailyLife.openings(device.place(), random)) {
                long openAt = midnight + opening[0];
                long closeAt = openAt + opening[1];
                if (openAt >= household.quietFromMs()) {
                    continue;
                }
                // Sequences from time (seconds, doubled: an open and its close never collide).
                addIfWithin(out, new GatewayBatch.Reading(device.id(), openAt / 1000 * 2, openAt, "open", null, null,
                        battery), fromMs, toMs);
                addIfWithin(out, new GatewayBatch.Reading(device.id(), closeAt / 1000 * 2 + 1, closeAt, "close", null,
                        null, battery), fromMs, toMs);
            }
        }
    }

    private static void addIfWithin(List<GatewayBatch.Reading> out, GatewayBatch.Reading reading, long fromMs,
            long toMs) {
        if (reading.atMs() >= fromMs && reading.atMs() < toMs) {
            out.add(reading);
        }
    }

    private int battery(Household household, Device device) {
        return 70 + new Random(mix(household.id(), device.id(), -1)).nextInt(31);
    }

    private long mix(String household, String device, long n) {
        long h = seed;
        h = h * 31 + household.hashCode();
        h = h * 31 + device.hashCode();
        return h * 1_000_003 + n;
    }

    private static BigDecimal tenth(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP);
    }
}
