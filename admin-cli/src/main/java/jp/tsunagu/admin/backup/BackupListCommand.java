package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.admin.Table;
import jp.tsunagu.admin.Times;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backup list}: a running node's backups, its recent failed runs, and whether the last success is too old. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List a running node's backups (GET /admin/v1/backups): name, when made, archive size, attachment "
                + "objects added, whether the private keys are inside, and the last verification; then the recent failed "
                + "runs, and a warning when the last successful backup is older than the schedule allows.",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin backup list --node http://127.0.0.1:9080 --token-file /var/lib/tsunagu/admin-token"})
public final class BackupListCommand implements Callable<Integer> {
    private static final String MALFORMED = "wire.malformed";
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/backups"), MALFORMED, "backup list");
        PrintWriter out = spec.commandLine().getOut();
        out.println("target:    " + answer.string("target"));
        out.println("schedule:  " + (answer.has("schedule") ? answer.string("schedule") : "off") + retention(answer));
        out.println("last good: " + lastSuccess(answer));
        out.println();
        Table backups = new Table("NAME", "CREATED", "SIZE", "OBJECTS ADDED", "KEYS", "VERIFIED");
        for (Object item : answer.array("backups")) {
            JsonFields backup = JsonFields.of(item, MALFORMED, "backup");
            backups.row(backup.string("name"), Times.seconds(backup.string("createdAt"), "-"),
                    Sizes.bytes(backup.integer("archiveBytes")),
                    backup.integer("objectsAdded") + " (" + Sizes.bytes(backup.integer("bytesAdded")) + ")",
                    Boolean.TRUE.equals(backup.object().get("withKeys")) ? "yes" : "no", verification(backup));
        }
        backups.print(out);
        List<JsonFields> failed = new ArrayList<>();
        if (answer.has("runs")) {
            for (Object item : answer.array("runs")) {
                JsonFields run = JsonFields.of(item, MALFORMED, "backup run");
                if ("failed".equals(run.string("state"))) {
                    failed.add(run);
                }
            }
        }
        if (!failed.isEmpty()) {
            out.println();
            out.println("Recent failed runs:");
            Table runs = new Table("RUN", "STARTED", "TRIGGER", "STEP", "ERROR");
            for (JsonFields run : failed) {
                JsonFields error = run.has("error") ? run.object("error") : null;
                runs.row(run.string("id"), Times.seconds(run.string("startedAt"), "-"),
                        run.has("trigger") ? run.string("trigger") : "-", run.has("step") ? run.string("step") : "-",
                        error == null ? "-" : error.string("code") + ": " + error.string("message"));
            }
            runs.print(out);
        }
        if (Boolean.TRUE.equals(answer.object().get("stale"))) {
            out.println();
            out.println("warning: the last successful backup is too old (" + lastSuccess(answer) + "); see the failed runs "
                    + "above and the node's log, and run 'tsunagu-admin backup create'");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String retention(JsonFields answer) {
        if (!answer.has("retention")) {
            return "";
        }
        JsonFields keep = answer.object("retention");
        return String.format(", keeping %d daily, %d weekly, %d monthly", keep.integer("daily"), keep.integer("weekly"),
                keep.integer("monthly"));
    }

    private static String lastSuccess(JsonFields answer) {
        if (!answer.has("lastSuccess")) {
            return "never";
        }
        JsonFields last = answer.object("lastSuccess");
        long age = last.integer("ageSeconds");
        String ago = age < 3600 ? age / 60 + " min" : age < 2 * 86400 ? age / 3600 + " h" : age / 86400 + " days";
        return last.string("name") + " at " + Times.seconds(last.string("createdAt"), "-") + " (" + ago + " ago)";
    }

    private static String verification(JsonFields backup) {
        if (!backup.has("verification")) {
            return "never";
        }
        JsonFields verification = backup.object("verification");
        String state = verification.string("state");
        String at = " " + Times.seconds(verification.optionalString("at"), "");
        return "failed".equals(state) ? "FAILED" + at + " " + (verification.has("code") ? verification.string("code") : "")
                : state + at;
    }
}
