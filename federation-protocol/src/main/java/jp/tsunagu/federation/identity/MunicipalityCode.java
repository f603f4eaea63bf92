package jp.tsunagu.federation.identity;

import jp.tsunagu.federation.ProtocolException;

/**
 * A 全国地方公共団体コード: six digits, the last a check digit over the first five.
 *
 * <p>The check digit is {@code (11 - (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10}. Instances
 * exist only for well-formed codes with a correct check digit.
 *
 * @param value the six digits
 */
public record MunicipalityCode(String value) implements Comparable<MunicipalityCode> {

    /** Validates like {@link #parse(String)}; use {@code parse} in code that reads input. */
    public MunicipalityCode {
        validate(value);
    }

    /**
     * Parses and validates a municipality code.
     *
     * @param text six digits such as {@code 202096}
     * @return the code
     * @throws ProtocolException {@code municipality.malformed} when not six ASCII digits,
     *                           {@code municipality.check_digit_invalid} when the check digit is wrong
     */
    public static MunicipalityCode parse(String text) {
        return new MunicipalityCode(text == null ? null : text.strip());
    }

    /**
     * Computes the check digit of the first five digits.
     *
     * @param firstFive five ASCII digits
     * @return the check digit, 0 to 9
     */
    public static int checkDigit(String firstFive) {
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += (6 - i) * (firstFive.charAt(i) - '0');
        }
        return (11 - sum % 11) % 10;
    }

    private static void validate(String text) {
        if (text == null || text.length() != 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException("municipality.malformed",
                    "municipality code must be six digits, got '" + text + "'");
        }
        int expected = checkDigit(text.substring(0, 5));
        if (text.charAt(5) - '0' != expected) {
            throw new ProtocolException("municipality.check_digit_invalid",
                    "municipality code " + text + " has a wrong check digit (expected " + expected + ")");
        }
    }

    @Override
    public int compareTo(MunicipalityCode other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
