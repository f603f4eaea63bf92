package jp.tsunagu.admin.backup;

import java.time.Duration;
import java.util.Locale;

/** Byte counts and durations as the backup commands print them. */
final class Sizes {
    private Sizes() {
    }

    /** @return e.g. {@code 812 B}, {@code 1.4 MB}, {@code 23.0 GB} (powers of 1000, as disks are sold) */
    static String bytes(long count) {
        if (count < 1000) {
            return count + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = count;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** @return e.g. {@code 0.4s}, {@code 12.0s}, {@code 3m05s} */
    static String time(Duration took) {
        long millis = took.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, (millis / 1000) % 60);
    }
}
