package jp.tsunagu.federation.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * One complete backup in a target, as its plain record ({@code generations/NAME.json}) says: written
 * last, after the archive is on disk, so a backup cut short never has one. It holds nothing about
 * patients: the names of the shared objects it uses (keyed names, not content hashes) let pruning
 * keep what a remaining backup still needs without the key.
 *
 * @param name          e.g. {@code ina-20261206T020000Z}
 * @param node          the node backed up
 * @param createdAt     the moment of its database snapshot
 * @param archiveBytes  the archive's length
 * @param objectsAdded  attachment objects this backup copied (the others were in the target already)
 * @param bytesAdded    their length
 * @param objects       every object it uses
 * @param withKeys      whether the node's private keys are inside
 * @param schemaVersion the database's schema version
 * @param verification  the last {@code backup verify} of it, if any
 */
public record Generation(String name, String node, Instant createdAt, long archiveBytes, long objectsAdded,
        long bytesAdded, List<String> objects, boolean withKeys, String schemaVersion,
        Optional<Verification> verification) {

    /**
     * The outcome of one verification.
     *
     * @param verified whether every check passed
     * @param at       when it ran
     * @param code     the failure's code, or null
     * @param problem  what failed, or null
     */
    public record Verification(boolean verified, Instant at, String code, String problem) {
        String toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("state", verified ? "verified" : "failed");
            json.put("at", at.toString());
            if (code != null) {
                json.put("code", code);
                json.put("problem", problem);
            }
            return Json.writePretty(json);
        }

        static Verification parse(String text) {
            JsonFields json = JsonFields.of(Json.parse(text), "backup.record_invalid", "verification");
            return new Verification("verified".equals(json.string("state")), Instant.parse(json.string("at")),
                    json.optionalString("code"), json.optionalString("problem"));
        }
    }

    public Generation {
        objects = List.copyOf(objects);
    }

    /** @return this generation with a verification outcome */
    public Generation with(Verification outcome) {
        return new Generation(name, node, createdAt, archiveBytes, objectsAdded, bytesAdded, objects, withKeys,
                schemaVersion, Optional.of(outcome));
    }

    /** @return whether it is usable: complete and not failed by a verification */
    public boolean good() {
        return verification.map(Verification::verified).orElse(true);
    }

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "tsunagu-backup-record/1");
        json.put("name", name);
        json.put("node", node);
        json.put("createdAt", createdAt.toString());
        json.put("archiveBytes", archiveBytes);
        json.put("objectsAdded", objectsAdded);
        json.put("bytesAdded", bytesAdded);
        json.put("withKeys", withKeys);
        json.put("schemaVersion", schemaVersion);
        json.put("objects", new ArrayList<Object>(objects));
        return Json.writePretty(json);
    }

    static Generation parse(String text, Optional<Verification> verification) {
        try {
            JsonFields json = JsonFields.of(Json.parse(text), "backup.record_invalid", "backup record");
            return new Generation(json.string("name"), json.string("node"), Instant.parse(json.string("createdAt")),
                    json.integer("archiveBytes"), json.integer("objectsAdded"), json.integer("bytesAdded"),
                    json.strings("objects"), Boolean.TRUE.equals(json.object().get("withKeys")),
                    json.string("schemaVersion"), verification);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ProtocolException("backup.record_invalid", "a backup record's time is not a time", e);
        }
    }
}
