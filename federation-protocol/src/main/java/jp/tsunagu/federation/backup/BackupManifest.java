package jp.tsunagu.federation.backup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * What one backup holds, written as the archive's last entry ({@value #ENTRY}): the node, the moment,
 * the schema version, each table's row count and the audit log's head at that moment, and every file
 * with its SHA-256: the files inside the archive, and the attachments kept as shared objects in the
 * target. {@code backup verify} checks a backup against it; a restore refuses anything it does not list.
 *
 * @param node          the node backed up
 * @param createdAt     the moment of the database snapshot
 * @param schemaVersion the database's schema version (Flyway's)
 * @param nodeVersion   the build that made it
 * @param withKeys      whether the node's private keys are inside
 * @param auditSeq      the audit log's last row in the snapshot (0 when empty)
 * @param auditHash     that row's hash ("" when empty)
 * @param rowCounts     rows per table in the snapshot
 * @param files         files inside the archive
 * @param attachments   attachment files, each in a shared object of the target
 */
public record BackupManifest(String node, Instant createdAt, String schemaVersion, String nodeVersion, boolean withKeys,
        long auditSeq, String auditHash, Map<String, Long> rowCounts, List<FileEntry> files, List<FileEntry> attachments) {

    /** The manifest's format name. */
    public static final String FORMAT = "tsunagu-backup-manifest/1";
    /** Its name inside the archive (always the last entry). */
    public static final String ENTRY = "manifest.json";

    /**
     * One file.
     *
     * @param path   its path in a node's data directory, with forward slashes
     * @param sha256 its content's SHA-256, lowercase hex
     * @param size   its length in bytes
     * @param object for an attachment, the name of the target's object that holds it; null otherwise
     */
    public record FileEntry(String path, String sha256, long size, String object) {
    }

    public BackupManifest {
        rowCounts = new TreeMap<>(rowCounts);
        files = List.copyOf(files);
        attachments = List.copyOf(attachments);
    }

    /** @return the manifest as pretty JSON */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("node", node);
        json.put("createdAt", createdAt.toString());
        json.put("schemaVersion", schemaVersion);
        json.put("nodeVersion", nodeVersion);
        json.put("withKeys", withKeys);
        json.put("audit", new LinkedHashMap<>(Map.of("seq", auditSeq, "hash", auditHash)));
        json.put("rowCounts", new LinkedHashMap<String, Object>(rowCounts));
        json.put("files", entries(files));
        json.put("attachments", entries(attachments));
        return Json.writePretty(json);
    }

    private static List<Object> entries(List<FileEntry> entries) {
        List<Object> out = new ArrayList<>();
        for (FileEntry entry : entries) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("path", entry.path());
            one.put("sha256", entry.sha256());
            one.put("size", entry.size());
            if (entry.object() != null) {
                one.put("object", entry.object());
            }
            out.add(one);
        }
        return out;
    }

    /**
     * @throws ProtocolException {@code backup.manifest_invalid} when the text is not a manifest
     */
    public static BackupManifest parse(String text) {
        String code = "backup.manifest_invalid";
        try {
            JsonFields json = JsonFields.of(Json.parse(text), code, ENTRY);
            if (!FORMAT.equals(json.string("format"))) {
                throw new ProtocolException(code, "the manifest is not a " + FORMAT + " document");
            }
            JsonFields audit = json.object("audit");
            Map<String, Long> counts = new TreeMap<>();
            JsonFields rows = json.object("rowCounts");
            for (String table : rows.object().keySet()) {
                counts.put(table, rows.integer(table));
            }
            return new BackupManifest(json.string("node"), Instant.parse(json.string("createdAt")),
                    json.string("schemaVersion"), json.string("nodeVersion"),
                    Boolean.TRUE.equals(json.object().get("withKeys")), audit.integer("seq"), audit.string("hash"),
                    counts, entries(json.array("files"), code), entries(json.array("attachments"), code));
        } catch (DateTimeParseException e) {
            throw new ProtocolException(code, "the manifest's createdAt is not a time", e);
        }
    }

    private static List<FileEntry> entries(List<Object> array, String code) {
        List<FileEntry> entries = new ArrayList<>();
        for (Object item : array) {
            JsonFields one = JsonFields.of(item, code, ENTRY);
            entries.add(new FileEntry(one.string("path"), one.string("sha256"), one.integer("size"),
                    one.optionalString("object")));
        }
        return entries;
    }
}
