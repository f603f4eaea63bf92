package jp.tsunagu.federation.agreement;

import jp.tsunagu.federation.ProtocolException;

/**
 * How many parties of an agreement must sign its next version: all of them ({@code unanimous}) or
 * at least {@code m} ({@code threshold:m}).
 *
 * @param threshold the m of {@code threshold:m}, or 0 for unanimous
 */
public record AmendmentRule(int threshold) {
    /** Every remaining party signs amendments. */
    public static final AmendmentRule UNANIMOUS = new AmendmentRule(0);

    /** Rejects negative thresholds. */
    public AmendmentRule {
        if (threshold < 0) {
            throw new ProtocolException("agreement.amendment_rule_invalid", "threshold must be at least 1");
        }
    }

    /**
     * @param text {@code unanimous} or {@code threshold:m}
     * @return the rule
     * @throws ProtocolException {@code agreement.amendment_rule_invalid}
     */
    public static AmendmentRule parse(String text) {
        if ("unanimous".equals(text)) {
            return UNANIMOUS;
        }
        if (text != null && text.matches("threshold:[1-9][0-9]{0,3}")) {
            return new AmendmentRule(Integer.parseInt(text.substring("threshold:".length())));
        }
        throw new ProtocolException("agreement.amendment_rule_invalid",
                "amendment rule must be 'unanimous' or 'threshold:M', got '" + text + "'");
    }

    /** @return whether every remaining party must sign */
    public boolean unanimous() {
        return threshold == 0;
    }

    /**
     * @param parties how many parties the agreement being amended has (not withdrawn)
     * @return how many of them must sign an amendment
     */
    public int required(int parties) {
        return unanimous() ? parties : Math.min(threshold, parties);
    }

    @Override
    public String toString() {
        return unanimous() ? "unanimous" : "threshold:" + threshold;
    }
}
