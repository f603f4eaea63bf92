package jp.tsunagu.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps as the CLI prints them: ISO-8601 in UTC to the second ({@code 2026-12-06T03:49:26Z}). */
public final class Times {

    private Times() {
    }

    /**
     * @param iso an ISO-8601 instant as the node answers it (possibly with fractions of a second), or null
     * @return the same instant to the second; {@code absent} when null; the text unchanged when it is no instant
     */
    public static String seconds(String iso, String absent) {
        if (iso == null) {
            return absent;
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /**
     * @param instant an instant
     * @return it to the second
     */
    public static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
