package jp.tsunagu.federation.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import jp.tsunagu.federation.ProtocolException;

/**
 * Formats numbers exactly as ECMAScript's {@code Number.prototype.toString}, which RFC 8785 requires.
 *
 * <p>Java 17's {@code Double.toString} does not always give the shortest round-tripping digits, so
 * the digits are found here: the smallest precision whose correctly rounded decimal reads back as
 * the same double. Correct rounding of the exact binary value also picks the closest candidate when
 * several have that length, as ECMAScript does.
 */
final class JsonNumbers {
    private JsonNumbers() {
    }

    static String format(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            long l = number.longValue();
            if (Math.abs(l) <= (1L << 53)) {
                return Long.toString(l);
            }
        }
        return format(number.doubleValue());
    }

    static String format(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ProtocolException("json.number_invalid", "NaN and Infinity cannot be written as JSON");
        }
        if (d == 0) {
            return "0";
        }
        String sign = d < 0 ? "-" : "";
        BigDecimal exact = new BigDecimal(Math.abs(d));
        BigDecimal shortest = null;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == Math.abs(d)) {
                shortest = candidate;
                break;
            }
        }
        BigDecimal normalized = shortest.stripTrailingZeros();
        String digits = normalized.unscaledValue().toString();
        int k = digits.length();
        int n = k - normalized.scale();
        return sign + layout(digits, k, n);
    }

    /** ECMAScript Number::toString steps 6 to 10, for digits s of length k and decimal exponent n. */
    private static String layout(String s, int k, int n) {
        if (k <= n && n <= 21) {
            return s + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return s.substring(0, n) + "." + s.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + s;
        }
        int exponent = n - 1;
        String e = exponent < 0 ? "e-" + (-exponent) : "e+" + exponent;
        if (k == 1) {
            return s + e;
        }
        return s.charAt(0) + "." + s.substring(1) + e;
    }
}
