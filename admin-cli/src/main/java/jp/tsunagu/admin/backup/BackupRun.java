package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeClient;
import jp.tsunagu.admin.Times;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * One backup run on a node: asks the node to start it ({@code POST /admin/v1/backups}), then follows
 * it ({@code GET /admin/v1/backups/runs/ID}) until it has succeeded or failed, printing a line each
 * time its step or progress changes. Used by {@code backup create} and {@code backup drill}.
 */
final class BackupRun {
    private static final String MALFORMED = "wire.malformed";
    private final NodeClient node;
    private final PrintWriter out;
    private final Duration pollEvery;

    /** What a succeeded run made. */
    record Made(String name, String createdAt, long archiveBytes, long objectsAdded, long bytesAdded, boolean withKeys,
            Duration took) {
    }

    BackupRun(NodeClient node, PrintWriter out, Duration pollEvery) {
        this.node = node;
        this.out = out;
        this.pollEvery = pollEvery;
    }

    /**
     * @return the backup made
     * @throws CliException exit 4 when the node refuses to start the run or the run fails (the message begins with the
     *     failure's code)
     */
    Made create(boolean withKeys) {
        long started = System.nanoTime();
        JsonFields run = JsonFields.of(node.post("/admin/v1/backups", Json.write(Map.of("withKeys", withKeys))), MALFORMED,
                "backup start").object("run");
        String id = run.string("id");
        out.println("backup run " + id + " started" + (withKeys ? " (with the node's private keys)" : ""));
        out.flush();
        String lastProgress = "";
        while (true) {
            String progress = progress(run);
            if (!progress.equals(lastProgress)) {
                out.println("  " + progress);
                out.flush();
                lastProgress = progress;
            }
            switch (run.string("state")) {
                case "succeeded":
                    return made(run.object("backup"), Duration.ofNanos(System.nanoTime() - started));
                case "failed":
                    throw failed(id, run);
                case "running":
                    break;
                default:
                    throw new CliException(ExitCodes.NODE, "the node answered run " + id + " with the state '"
                            + run.string("state") + "'");
            }
            sleep();
            run = JsonFields.of(node.get("/admin/v1/backups/runs/" + id), MALFORMED, "backup run");
        }
    }

    private static String progress(JsonFields run) {
        String step = run.has("step") ? run.string("step") : "starting";
        long total = run.has("total") ? run.integer("total") : 0;
        return total > 0 ? String.format("%-12s %d/%d", step, run.integer("done"), total) : step;
    }

    private static Made made(JsonFields backup, Duration took) {
        return new Made(backup.string("name"), backup.string("createdAt"), backup.integer("archiveBytes"),
                backup.integer("objectsAdded"), backup.integer("bytesAdded"), Boolean.TRUE.equals(backup.object().get("withKeys")),
                took);
    }

    private static CliException failed(String id, JsonFields run) {
        if (run.has("error")) {
            JsonFields error = run.object("error");
            return new CliException(ExitCodes.NODE, error.string("code") + ": " + error.string("message")
                    + " (backup run " + id + ")");
        }
        return new CliException(ExitCodes.NODE, "backup.failed: backup run " + id + " failed without saying why");
    }

    /** @return the line that ends a succeeded run */
    static String summary(Made made) {
        return "backup " + made.name() + " made: created " + Times.seconds(made.createdAt(), "-") + ", archive "
                + Sizes.bytes(made.archiveBytes()) + ", " + made.objectsAdded() + " attachment objects added ("
                + Sizes.bytes(made.bytesAdded()) + "), " + (made.withKeys() ? "with" : "without") + " keys, took "
                + Sizes.time(made.took());
    }

    private void sleep() {
        try {
            Thread.sleep(pollEvery.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NODE, "interrupted while following the backup run", e);
        }
    }
}
