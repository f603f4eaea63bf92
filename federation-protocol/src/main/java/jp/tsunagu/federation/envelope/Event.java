package jp.tsunagu.federation.envelope;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.federation.json.JsonFields;

/**
 * A team event as it travels between nodes: every id a receiver acts on is inside the signed body,
 * so a receiver compares the ids of a request path with these, never trusting the path alone.
 *
 * @param id       globally unique event id
 * @param type     what happened, e.g. {@code care.post.created}
 * @param origin   the node whose user authored the event; it signs the envelope
 * @param home     the patient's home node, which sequences and countersigns
 * @param targets  every object id the event touches (patient, team, post …), at least one
 * @param issuedAt when the origin node created it
 * @param data     the event's content
 */
public record Event(String id, String type, String origin, String home, List<String> targets,
                    Instant issuedAt, Map<String, Object> data) {
    /** Wire version of the event body. */
    public static final long VERSION = 1;

    /** Validates and copies. */
    public Event {
        if (id == null || id.isBlank() || type == null || type.isBlank()) {
            throw new ProtocolException("envelope.malformed", "an event needs an id and a type");
        }
        NodeProfile.requireValidName(origin);
        NodeProfile.requireValidName(home);
        if (targets == null || targets.isEmpty()) {
            throw new ProtocolException("envelope.malformed", "event " + id + " names no target");
        }
        targets = List.copyOf(targets);
        if (issuedAt == null) {
            throw new ProtocolException("envelope.malformed", "event " + id + " has no issue time");
        }
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** @return the signed body */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", VERSION);
        json.put("id", id);
        json.put("type", type);
        json.put("origin", origin);
        json.put("home", home);
        json.put("targets", targets);
        json.put("issuedAt", issuedAt.toString());
        json.put("data", data);
        return json;
    }

    /**
     * @param fields the body members
     * @return the event
     * @throws ProtocolException {@code envelope.malformed} or {@code envelope.version_unsupported}
     */
    public static Event fromJson(JsonFields fields) {
        if (fields.integer("v") != VERSION) {
            throw new ProtocolException("envelope.version_unsupported", "event body version " + fields.integer("v"));
        }
        return new Event(fields.string("id"), fields.string("type"), fields.string("origin"), fields.string("home"),
                fields.strings("targets"), instant(fields, "issuedAt"), fields.object("data").object());
    }

    static Instant instant(JsonFields fields, String name) {
        try {
            return Instant.parse(fields.string(name));
        } catch (DateTimeParseException e) {
            throw new ProtocolException(fields.code(), name + " is not an ISO-8601 instant", e);
        }
    }
}
