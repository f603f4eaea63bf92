package jp.tsunagu.federation.identity;

import java.util.Optional;
import java.util.regex.Pattern;

import jp.tsunagu.federation.ProtocolException;

/**
 * A professional named across nodes: {@code loginId@node}, the login id at the professional's home
 * node and that node's name. It says who someone is and where they log in, and nothing else.
 *
 * @param loginId the login id at the home node, {@code [A-Za-z0-9][A-Za-z0-9._-]{3,31}}
 * @param node    the home node's name
 */
public record FederatedId(String loginId, String node) {

    private static final Pattern LOGIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{3,31}");

    /** Validates both parts. */
    public FederatedId {
        if (loginId == null || !LOGIN_ID.matcher(loginId).matches()) {
            throw new ProtocolException("federated_id.invalid", "'" + loginId + "' is not a login id");
        }
        try {
            NodeProfile.requireValidName(node);
        } catch (ProtocolException e) {
            throw new ProtocolException("federated_id.invalid", "'" + node + "' is not a node name", e);
        }
    }

    /**
     * @param text {@code loginId@node}
     * @return the id
     * @throws ProtocolException {@code federated_id.invalid}
     */
    public static FederatedId parse(String text) {
        int at = text == null ? -1 : text.lastIndexOf('@');
        if (at <= 0 || at != text.indexOf('@')) {
            throw new ProtocolException("federated_id.invalid", "a federated id reads loginId@node, got '" + text + "'");
        }
        return new FederatedId(text.substring(0, at), text.substring(at + 1));
    }

    /**
     * For text that may or may not name a professional of another node (a user id of this node, a
     * field of a partner's event): the id when the text is a valid federated id.
     *
     * @param text anything, or null
     * @return the id, or empty when the text is not a valid federated id
     */
    public static Optional<FederatedId> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }

    /** @return {@code loginId@node} */
    @Override
    public String toString() {
        return loginId + "@" + node;
    }
}
