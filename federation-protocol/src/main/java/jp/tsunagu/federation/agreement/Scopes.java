package jp.tsunagu.federation.agreement;

import java.util.List;
import java.util.Set;

import jp.tsunagu.federation.ProtocolException;

/** The kinds of data an agreement lets flow between its parties. */
public final class Scopes {
    /** Care-team sharing: remote professionals in teams, team events replicated to their nodes. */
    public static final String CARE_TEAM = "care-team";
    /** The regional resources directory (地域資源) shared between nodes. */
    public static final String RESOURCES_DIRECTORY = "resources-directory";
    /**
     * Emergency access across municipal borders (救急情報連携): a partner's 救急・消防 responder may search
     * this node's patients and open their limited emergency view, asked by the responder's node.
     */
    public static final String EMERGENCY_ACCESS = "emergency-access";
    /**
     * Usage statistics for a pact report (レポート): a partner may ask this node for a signed summary of
     * counts only, small cells suppressed here before they leave.
     */
    public static final String STATISTICS = "statistics";
    /**
     * Care-need certification review across a wide-area union (広域連合の介護認定審査会): a partner's
     * professional may be appointed to this node's review panels, receive the released materials for her
     * own reading on her node and send her 事前審査 opinions back.
     */
    public static final String CERTIFICATION_REVIEW = "certification-review";
    /** Every scope this version of the protocol knows. */
    public static final Set<String> KNOWN = Set.of(CARE_TEAM, RESOURCES_DIRECTORY, EMERGENCY_ACCESS, STATISTICS,
            CERTIFICATION_REVIEW);

    private Scopes() {
    }

    /**
     * @param scopes candidate scopes
     * @return the scopes, sorted, without duplicates
     * @throws ProtocolException {@code agreement.scope_unknown} or {@code agreement.scope_missing}
     */
    public static List<String> requireKnown(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new ProtocolException("agreement.scope_missing", "an agreement must allow at least one scope");
        }
        for (String scope : scopes) {
            if (!KNOWN.contains(scope)) {
                throw new ProtocolException("agreement.scope_unknown", "unknown scope '" + scope + "'; known: " + KNOWN);
            }
        }
        return scopes.stream().distinct().sorted().toList();
    }
}
