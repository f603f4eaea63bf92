package jp.tsunagu.admin.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.json.JsonFields;

/**
 * Compares what the drill node serves ({@code GET /admin/v1/storage/summary}) with the backup's
 * manifest. A node that starts changes a few tables by itself, and those are left out:
 * <ul>
 * <li>{@code audit_log}: the start and the drill's own requests add rows; its seq must be at least the manifest's,
 * and the chain itself was verified before the start;</li>
 * <li>{@code sessions}, {@code login_failures}: short-lived rows the node prunes when it starts;</li>
 * <li>{@code sync_outbox}: rows leave it as they are delivered;</li>
 * <li>{@code flyway_schema_history}: a newer node jar migrates the copy and adds rows;</li>
 * <li>any table whose name says it is short-lived (containing {@code session}, {@code outbox}, {@code cache},
 * {@code lock}, ending in {@code _failures}, beginning with {@code tmp_} or {@code temp_}).</li>
 * </ul>
 * Every other table must hold exactly the rows the manifest counted.
 */
final class DrillComparison {
    static final Set<String> CHANGED_BY_A_START = Set.of("audit_log", "sessions", "login_failures", "sync_outbox",
            "flyway_schema_history");

    private DrillComparison() {
    }

    static boolean compared(String table) {
        return !CHANGED_BY_A_START.contains(table) && !table.contains("session") && !table.contains("outbox")
                && !table.contains("cache") && !table.contains("lock") && !table.endsWith("_failures")
                && !table.startsWith("tmp_") && !table.startsWith("temp_");
    }

    /**
     * @param summary the drill node's storage summary
     * @return what matched, for the step's line
     * @throws ProtocolException {@code drill.rows_differ}, {@code drill.audit_behind}
     */
    static String compare(JsonFields summary, BackupManifest manifest) {
        JsonFields served = summary.object("rowCounts");
        List<String> differences = new ArrayList<>();
        int tables = 0;
        for (Map.Entry<String, Long> table : manifest.rowCounts().entrySet()) {
            if (!compared(table.getKey())) {
                continue;
            }
            tables++;
            Object count = served.object().get(table.getKey());
            if (!(count instanceof Long actual) || actual.longValue() != table.getValue()) {
                differences.add(table.getKey() + " " + (count == null ? "missing" : count) + " (backup " + table.getValue() + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new ProtocolException("drill.rows_differ", "the drill node serves other row counts than the backup holds: "
                    + String.join(", ", differences));
        }
        long auditSeq = summary.object("audit").integer("seq");
        if (auditSeq < manifest.auditSeq()) {
            throw new ProtocolException("drill.audit_behind", "the drill node's audit log ends at row " + auditSeq
                    + ", before the backup's row " + manifest.auditSeq());
        }
        return tables + " tables as in the backup; audit log at row " + auditSeq + " (backup " + manifest.auditSeq()
                + "); schema " + summary.object().get("schemaVersion") + " (backup " + manifest.schemaVersion() + ")";
    }
}
