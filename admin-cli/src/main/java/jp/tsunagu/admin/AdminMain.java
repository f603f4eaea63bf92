package jp.tsunagu.admin;

import java.io.PrintWriter;

import jp.tsunagu.admin.account.AccountCommand;
import jp.tsunagu.admin.agreement.AgreementCommand;
import jp.tsunagu.admin.audit.AuditCommand;
import jp.tsunagu.admin.backup.BackupCommand;
import jp.tsunagu.admin.node.NodeCommand;
import jp.tsunagu.admin.cluster.ClusterCommand;
import jp.tsunagu.admin.peers.PeersCommand;
import jp.tsunagu.admin.resources.PartnerResourcesCommand;
import jp.tsunagu.admin.sensors.SensorsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tsunagu-admin}: the node operator's command line. */
@Command(name = "tsunagu-admin", mixinStandardHelpOptions = true, versionProvider = AdminMain.Version.class,
        description = "Manage a Tsunagu node's identity, wide-area agreements (広域連携協定), peers, accounts, audit log and backups.",
        subcommands = {NodeCommand.class, AgreementCommand.class, PeersCommand.class, PartnerResourcesCommand.class,
            AccountCommand.class, AuditCommand.class, BackupCommand.class, SensorsCommand.class, ClusterCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = {
            "Examples:",
            "  tsunagu-admin node init --dir ina-identity --name ina --municipality 202096 --endpoint https://ina.example.jp:8443",
            "  tsunagu-admin agreement verify kamiina.agreement.json",
            "  tsunagu-admin peers status --node http://127.0.0.1:9080",
            "  tsunagu-admin cluster status --node http://127.0.0.1:9080",
            "  tsunagu-admin partner-resources sync --node http://127.0.0.1:9080",
            "  tsunagu-admin account create --node http://127.0.0.1:9080 --role municipal_staff --login-id ina-kenkou ...",
            "  tsunagu-admin audit verify --data /var/lib/tsunagu/ina",
            "  tsunagu-admin sensors gateway list --node http://127.0.0.1:9080",
            "  tsunagu-admin backup verify --target /mnt/nas/tsunagu --node ina --key /media/usb-key/ina.backup-key"})
public final class AdminMain {

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /**
     * Builds the command tree writing to the given streams, for {@link #main} and in-process tests.
     *
     * @param out standard output
     * @param err standard error
     * @return the configured command line
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new AdminMain());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setUsageHelpWidth(120);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        appendExitCodes(commandLine);
        return commandLine;
    }

    /** Every command's help ends with the exit codes, written once in {@link ExitCodes#HELP}. */
    private static void appendExitCodes(CommandLine commandLine) {
        var usage = commandLine.getCommandSpec().usageMessage();
        String[] footer = java.util.Arrays.copyOf(usage.footer(), usage.footer().length + ExitCodes.HELP.length + 1);
        footer[usage.footer().length] = "";
        System.arraycopy(ExitCodes.HELP, 0, footer, usage.footer().length + 1, ExitCodes.HELP.length);
        usage.footer(footer);
        usage.footerHeading("%n");
        commandLine.getSubcommands().values().stream().distinct().forEach(AdminMain::appendExitCodes);
    }

    /** Reads the version from the jar manifest, falling back for runs from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AdminMain.class.getPackage().getImplementationVersion();
            return new String[] {"tsunagu-admin " + (version == null ? "0.1.0-SNAPSHOT" : version)};
        }
    }
}
