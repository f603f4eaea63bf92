package jp.tsunagu.admin.backup;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeClient;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backup drill}: the whole way from a running node to a node running on its backup, as the
 * operator would need it on a bad day, with each step timed. The drill node runs on a throw-away
 * copy with a fresh identity, on loopback and free ports, sending no mail and making no backups.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Rehearse a restore: make a backup of the running node (--node URL), find it in --target, verify it "
                + "with the backup key, restore it into a temporary directory without its private keys, start a node on "
                + "the copy (java -jar NODE_JAR serve, loopback and free ports, no mail, no backups, a fresh identity "
                + "partners do not trust), check that it serves the backed-up rows and agreements, stop it (SIGTERM, exit "
                + "0) and delete the copy. Prints each step's time and a verdict; a failure names its step and exits 1 "
                + "(the backup failed a check or did not come up), 3 (input) or 4 (the running node).",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin backup drill --node http://127.0.0.1:9080 --token-file /var/lib/tsunagu/admin-token \\",
            "      --target /mnt/nas/tsunagu --key /media/usb-key/ina.backup-key",
            "  TSUNAGU_NODE_JAR=/opt/tsunagu/tsunagu-node.jar tsunagu-admin backup drill --node http://127.0.0.1:9080 \\",
            "      --target /mnt/nas/tsunagu --key ina.backup-key --work-dir /var/tmp"})
public final class BackupDrillCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Mixin
    KeyOptions options;
    @Spec
    CommandSpec spec;

    @Option(names = "--node-jar", paramLabel = "FILE", description = "The node's jar. Default: $TSUNAGU_NODE_JAR, else "
            + "tsunagu-node.jar beside this program's jar, else node/target/tsunagu-node.jar under the current directory.")
    Path nodeJar;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long the drill node may take to become ready (migrations of a large database take a while). "
                    + "Default: ${DEFAULT-VALUE}.")
    long startTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Steps steps = new Steps(out);
        try {
            drill(steps, out);
            out.println("DRILL PASSED: the backup restores and a node serves it (" + Sizes.time(steps.total()) + ")");
            out.flush();
            return ExitCodes.OK;
        } catch (StepFailure failure) {
            out.println("DRILL FAILED at step '" + failure.step() + "' (" + Sizes.time(steps.total()) + ")");
            out.flush();
            BackupCheck.report(spec.commandLine().getErr(), failure);
            return failure.exitCode();
        }
    }

    private void drill(Steps steps, PrintWriter out) {
        Path jar = steps.run("node jar", () -> NodeJar.locate(nodeJar, System::getenv, NodeJar.adminJar(),
                Path.of("").toAbsolutePath()), Path::toString);
        BackupKey key = steps.run("backup key", options::key, BackupKey::recipient);
        NodeClient live = node.client();
        String nodeName = steps.run("running node", () -> JsonFields.of(live.get("/admin/v1/storage/summary"),
                "wire.malformed", "storage summary").string("node"), name -> name + " at " + node.node);
        BackupRun.Made made = steps.run("create", () -> new BackupRun(live, out, Duration.ofMillis(500)).create(false),
                BackupRun::summary);
        BackupTarget target = BackupTarget.of(options.target, nodeName);
        Generation generation = steps.run("find in target", () -> target.find(made.name()),
                g -> target.archive(g.name()).toString());
        Path work = WorkDirs.create(options.workDir, "tsunagu-drill-");
        try {
            Path copy = Files.createDirectory(work.resolve("data"));
            BackupManifest manifest = verify(steps, target, generation, key, copy);
            int adminPort = steps.run("admin port", DrillConfig::freeAdminPort,
                    port -> port + " (web and federation: chosen by the drill node)");
            Path config = steps.run("restore drill copy", () -> DrillCopy.prepare(copy, adminPort,
                    spec.commandLine().getErr()), file -> file + " (no private keys, no mail, no backups)");
            URI admin = URI.create("http://127.0.0.1:" + adminPort);
            try (DrillNode drillNode = steps.run("start node", () -> DrillNode.start(jar, config, work.resolve("drill-node.log")),
                    n -> "java -jar " + jar.getFileName() + " serve --config " + config.getFileName())) {
                steps.run("ready", () -> drillNode.awaitReady(admin, Duration.ofSeconds(startTimeout)), line -> line);
                NodeClient drilled = new NodeClient(admin, DrillCopy.token(copy));
                steps.run("data", () -> DrillComparison.compare(JsonFields.of(drilled.get("/admin/v1/storage/summary"),
                        "wire.malformed", "storage summary"), manifest), line -> line);
                steps.run("agreements", () -> JsonFields.of(drilled.get("/admin/v1/agreements"), "wire.malformed",
                        "agreement list").array("agreements").size(), n -> n + " agreements served");
                steps.run("stop node", () -> drillNode.stop(Duration.ofSeconds(60)), line -> line);
            }
        } catch (java.io.IOException e) {
            throw new StepFailure("restore drill copy", "backup.io_error", e.getMessage(), ExitCodes.INPUT, e);
        } finally {
            steps.run("delete copy", () -> {
                WorkDirs.delete(work, spec.commandLine().getErr());
                return work;
            }, Path::toString);
        }
    }

    /** The checks of 'backup verify', recorded with the backup like a verify's. */
    private BackupManifest verify(Steps steps, BackupTarget target, Generation generation, BackupKey key, Path copy) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            BackupManifest manifest = BackupCheck.run(steps, target, generation, key, copy);
            BackupCheck.record(target, generation, new Generation.Verification(true, Instant.now(), null, null), err);
            return manifest;
        } catch (StepFailure failure) {
            BackupCheck.record(target, generation, new Generation.Verification(false, Instant.now(), failure.code(),
                    failure.step() + ": " + failure.getMessage()), err);
            throw failure;
        }
    }
}
