package jp.tsunagu.federation.sensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The door openings of one day at one place: each is {milliseconds after local midnight, how long
 * the door stays open}. Times are drawn within windows typical of an older person living alone.
 */
final class DailyLife {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    private DailyLife() {
    }

    static List<long[]> openings(String place, Random random) {
        List<long[]> openings = new ArrayList<>();
        switch (place) {
            case "entrance" -> {
                // Out in the morning (rubbish, a walk) and back; shopping in the afternoon most days.
                long out = around(random, 7 * HOUR + 30 * MINUTE, 2 * HOUR);
                openings.add(open(random, out, 10, 30));
                openings.add(open(random, out + 20 * MINUTE + random.nextInt(70) * MINUTE, 10, 30));
                if (random.nextDouble() < 0.6) {
                    long shop = around(random, 14 * HOUR, 2 * HOUR);
                    openings.add(open(random, shop, 10, 30));
                    openings.add(open(random, shop + 40 * MINUTE + random.nextInt(60) * MINUTE, 10, 40));
                }
                if (random.nextDouble() < 0.5) {
                    openings.add(open(random, around(random, 17 * HOUR, HOUR), 10, 20));
                }
            }
            case "fridge" -> {
                meal(random, openings, 6 * HOUR + 30 * MINUTE, 2);
                meal(random, openings, 11 * HOUR + 45 * MINUTE, 2);
                meal(random, openings, 17 * HOUR + 45 * MINUTE, 3);
                for (int snack = random.nextInt(3); snack > 0; snack--) {
                    openings.add(open(random, around(random, 9 * HOUR, 12 * HOUR), 5, 20));
                }
            }
            case "bathroom" -> {
                long in = around(random, 19 * HOUR + 30 * MINUTE, 2 * HOUR);
                openings.add(open(random, in, 5, 15));
                openings.add(open(random, in + 30 * MINUTE + random.nextInt(20) * MINUTE, 5, 15));
            }
            case "toilet" -> {
                for (long at = around(random, 6 * HOUR, HOUR); at < 22 * HOUR;
                        at += 2 * HOUR + random.nextInt(120) * MINUTE) {
                    openings.add(open(random, at, 5, 15));
                }
                for (int night = random.nextInt(3); night > 0; night--) {
                    openings.add(open(random, around(random, HOUR, 4 * HOUR), 5, 15));
                }
            }
            default -> {
                // A room has a climate sensor, not a door.
            }
        }
        return openings;
    }

    private static void meal(Random random, List<long[]> openings, long start, int maxOpenings) {
        long at = around(random, start, HOUR);
        for (int i = 1 + random.nextInt(maxOpenings); i > 0; i--) {
            openings.add(open(random, at, 5, 40));
            at += (2 + random.nextInt(10)) * MINUTE;
        }
    }

    private static long around(Random random, long from, long window) {
        return from + (long) (random.nextDouble() * window);
    }

    private static long[] open(Random random, long at, int minSeconds, int maxSeconds) {
        return new long[] {at, (minSeconds + random.nextInt(maxSeconds - minSeconds + 1)) * 1000L};
    }
}
