package jp.tsunagu.federation.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * A partner node's answer to a directory search of its professionals ({@code GET} {@link #PATH}
 * {@code ?q=} over mutual TLS, answered only under an active agreement with the {@code care-team}
 * scope). Each entry holds exactly what a colleague needs to choose whom to invite: the name, the
 * profession, the facility and the federated id. Readers keep only these members, so a partner that
 * sent more would not get it any further.
 *
 * @param node          the answering node
 * @param professionals the matches, at most {@link #MAX_ENTRIES}
 */
public record ProfessionalDirectory(String node, List<Entry> professionals) {
    /** {@code GET}: search the node's active professionals by name, kana or facility. */
    public static final String PATH = FederationV1.BASE_PATH + "/directory/professionals";
    /** Request header naming who asks ({@code loginId@node}), for the answering node's audit log. */
    public static final String REQUESTER_HEADER = "Tsunagu-Requester";
    /** Longest search text, in characters. */
    public static final int MAX_QUERY_LENGTH = 40;
    /** Most entries one answer holds. */
    public static final int MAX_ENTRIES = 50;
    private static final int MAX_TEXT = 200;

    /**
     * One professional.
     *
     * @param federatedId    {@code loginId@node}, what an invitation names
     * @param name           family and given name
     * @param profession     profession code (reference data, e.g. {@code nurse})
     * @param professionName the profession in Japanese (看護師)
     * @param facility       the facility's name
     */
    public record Entry(String federatedId, String name, String profession, String professionName, String facility) {

        /** @return the JSON members */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("federatedId", federatedId);
            json.put("name", name);
            json.put("profession", profession);
            json.put("professionName", professionName);
            json.put("facility", facility);
            return json;
        }

        static Entry fromJson(JsonFields fields, String node) {
            FederatedId id;
            try {
                id = FederatedId.parse(fields.string("federatedId"));
            } catch (ProtocolException e) {
                throw new ProtocolException("directory.malformed", e.getMessage(), e);
            }
            if (!id.node().equals(node)) {
                throw new ProtocolException("directory.node_mismatch", node + " answered for " + id);
            }
            return new Entry(id.toString(), text(fields, "name"), text(fields, "profession"),
                    text(fields, "professionName"), text(fields, "facility"));
        }

        private static String text(JsonFields fields, String name) {
            String value = fields.string(name);
            if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
                throw new ProtocolException("directory.malformed", fields.where() + "." + name + " is not a short text");
            }
            return value;
        }
    }

    /** Copies the list. */
    public ProfessionalDirectory {
        professionals = List.copyOf(professionals);
    }

    /**
     * Checks a search text before it is asked or answered: both nodes apply the same rule.
     *
     * @param query the text as typed
     * @return the text without surrounding spaces
     * @throws ProtocolException {@code directory.query_required}, {@code directory.query_too_long} or
     *                           {@code directory.query_invalid} (control characters); a text of
     *                           spaces, wildcards or punctuation alone counts as none ({@code query_required})
     */
    public static String requireQuery(String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            throw new ProtocolException("directory.query_required", "a search text is required");
        }
        if (q.codePointCount(0, q.length()) > MAX_QUERY_LENGTH) {
            throw new ProtocolException("directory.query_too_long", "a search text has at most " + MAX_QUERY_LENGTH
                    + " characters");
        }
        if (q.chars().anyMatch(Character::isISOControl)) {
            throw new ProtocolException("directory.query_invalid", "a search text holds no control characters");
        }
        if (q.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw new ProtocolException("directory.query_required", "a search text needs at least one letter or digit");
        }
        return q;
    }

    /** @return the JSON text of the answer */
    public String toJsonText() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node", node);
        json.put("professionals", professionals.stream().map(Entry::toJson).toList());
        return Json.write(json);
    }

    /**
     * Reads an answer, keeping only the members this type defines.
     *
     * @param text the response body
     * @param node the node that was asked
     * @return the answer
     * @throws ProtocolException {@code directory.malformed} or {@code directory.node_mismatch} when the answer or
     *                           one of its entries speaks for another node
     */
    public static ProfessionalDirectory parse(String text, String node) {
        JsonFields fields;
        try {
            fields = JsonFields.of(Json.parse(text), "directory.malformed", "directory answer");
        } catch (ProtocolException e) {
            throw e.code().equals("directory.malformed") ? e
                    : new ProtocolException("directory.malformed", "directory answer is not JSON: " + e.getMessage(), e);
        }
        if (!node.equals(fields.string("node"))) {
            throw new ProtocolException("directory.node_mismatch", "asked " + node + ", answered by " + fields.string("node"));
        }
        List<Object> items = fields.array("professionals");
        if (items.size() > MAX_ENTRIES) {
            throw new ProtocolException("directory.malformed", "an answer holds at most " + MAX_ENTRIES + " entries");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            entries.add(Entry.fromJson(JsonFields.of(items.get(i), "directory.malformed", "professionals[" + i + "]"), node));
        }
        return new ProfessionalDirectory(node, entries);
    }
}
