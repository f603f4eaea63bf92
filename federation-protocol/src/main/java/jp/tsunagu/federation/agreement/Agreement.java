package jp.tsunagu.federation.agreement;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.json.JsonFields;

/**
 * The content of a wide-area agreement (広域連携協定): what every party signs.
 *
 * @param id            stable agreement id, e.g. {@code kamiina}
 * @param version       1 for the first version, one more for each amendment
 * @param title         the title, in Japanese
 * @param parties       the nodes bound by it, each as its identity card (name, municipalities,
 *                      endpoint, TLS pin, signing key)
 * @param scopes        what may flow, see {@link Scopes}
 * @param notBefore     start of validity
 * @param notAfter      end of validity (exclusive)
 * @param amendmentRule who must sign the next version
 * @param replaces      the version this one replaces, absent for version 1
 * @param retentionDays how many days partners keep replicated data after the agreement ends for them
 */
public record Agreement(String id, long version, String title, List<NodeCard> parties, List<String> scopes,
                        Instant notBefore, Instant notAfter, AmendmentRule amendmentRule,
                        Optional<Predecessor> replaces, long retentionDays) {
    /** The payload format written in member {@code format}. */
    public static final String FORMAT = "tsunagu-agreement/1";

    /** Validates every rule that does not need signatures or a clock. */
    public Agreement {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{1,63}")) {
            throw new ProtocolException("agreement.id_invalid", "agreement id must be 2 to 64 of a-z, 0-9 and '-', got '" + id + "'");
        }
        if (version < 1) {
            throw new ProtocolException("agreement.version_invalid", "version must be at least 1");
        }
        if (title == null || title.isBlank()) {
            throw new ProtocolException("agreement.malformed", "an agreement needs a title");
        }
        parties = List.copyOf(parties);
        if (parties.size() < 2) {
            throw new ProtocolException("agreement.party_missing", "an agreement needs at least two parties");
        }
        Set<String> names = new HashSet<>();
        Set<String> municipalities = new HashSet<>();
        for (NodeCard party : parties) {
            if (!names.add(party.profile().name())) {
                throw new ProtocolException("agreement.party_duplicate", "party " + party.profile().name() + " is listed twice");
            }
            for (var code : party.profile().municipalities()) {
                if (!municipalities.add(code.value())) {
                    throw new ProtocolException("agreement.party_duplicate", "municipality " + code + " is served by two parties");
                }
            }
        }
        scopes = Scopes.requireKnown(scopes);
        if (notBefore == null || notAfter == null || !notBefore.isBefore(notAfter)) {
            throw new ProtocolException("agreement.validity_invalid", "notBefore must come before notAfter");
        }
        if (replaces.isPresent() && (!replaces.get().id().equals(id) || replaces.get().version() >= version)) {
            throw new ProtocolException("agreement.predecessor_mismatch",
                    "version " + version + " of " + id + " cannot replace " + replaces.get().id() + " version " + replaces.get().version());
        }
        if (version > 1 && replaces.isEmpty()) {
            throw new ProtocolException("agreement.predecessor_mismatch", "version " + version + " must name the version it replaces");
        }
        if (retentionDays < 0 || retentionDays > 36500) {
            throw new ProtocolException("agreement.retention_invalid", "retentionDays must be between 0 and 36500");
        }
    }

    /**
     * @param node a node name
     * @return the party of that name
     */
    public Optional<NodeCard> party(String node) {
        return parties.stream().filter(p -> p.profile().name().equals(node)).findFirst();
    }

    /** @return the party names in document order */
    public List<String> partyNames() {
        return parties.stream().map(p -> p.profile().name()).toList();
    }

    /** @return the payload members */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("id", id);
        json.put("version", version);
        json.put("title", title);
        json.put("parties", parties.stream().map(NodeCard::toPartyJson).toList());
        json.put("scopes", scopes);
        json.put("notBefore", notBefore.toString());
        json.put("notAfter", notAfter.toString());
        json.put("amendmentRule", amendmentRule.toString());
        json.put("replaces", replaces.map(Predecessor::toJson).orElse(null));
        json.put("retentionDays", retentionDays);
        return json;
    }

    /**
     * @param fields payload members
     * @return the agreement
     * @throws ProtocolException {@code agreement.malformed}, {@code agreement.format_unsupported}, or the
     *                           code of the first invalid field
     */
    public static Agreement fromJson(JsonFields fields) {
        if (!FORMAT.equals(fields.optionalString("format"))) {
            throw new ProtocolException("agreement.format_unsupported", "payload is not a " + FORMAT + " document");
        }
        List<NodeCard> parties = new ArrayList<>();
        for (Object party : fields.array("parties")) {
            parties.add(NodeCard.fromPartyJson(JsonFields.of(party, fields.code(), "party " + (parties.size() + 1))));
        }
        return new Agreement(fields.string("id"), fields.integer("version"), fields.string("title"), parties,
                fields.strings("scopes"), instant(fields, "notBefore"), instant(fields, "notAfter"),
                AmendmentRule.parse(fields.string("amendmentRule")),
                fields.has("replaces") ? Optional.of(Predecessor.fromJson(fields.object("replaces"))) : Optional.empty(),
                fields.integer("retentionDays"));
    }

    private static Instant instant(JsonFields fields, String name) {
        try {
            return Instant.parse(fields.string(name));
        } catch (DateTimeParseException e) {
            throw new ProtocolException("agreement.malformed", name + " is not an ISO-8601 instant", e);
        }
    }
}
