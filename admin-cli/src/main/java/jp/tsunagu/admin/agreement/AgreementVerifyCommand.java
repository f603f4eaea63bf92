package jp.tsunagu.admin.agreement;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.Table;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AgreementReport;
import jp.tsunagu.federation.agreement.AgreementVerifier;
import jp.tsunagu.federation.agreement.PartyReport;
import jp.tsunagu.federation.agreement.WithdrawalStatement;
import jp.tsunagu.federation.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement verify}: checks every signature and prints each party's status. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify an agreement: every signature, the amendment rule (with --predecessor), withdrawals and "
                + "validity. Prints a table of parties and statuses, or JSON. Exits 0 only when the agreement is active.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin agreement verify kamiina.json",
            "  tsunagu-admin agreement verify --json --predecessor kamiina-v1.json kamiina-v2.json",
            "  tsunagu-admin agreement verify --withdrawal minowa.withdrawal.json --at 2026-01-01T00:00:00Z kamiina-v2.json"})
public final class AgreementVerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Option(names = "--predecessor", paramLabel = "FILE", description = "The version this one replaces, to apply its amendment rule.")
    Path predecessor;
    @Option(names = "--withdrawal", paramLabel = "FILE", description = "Withdrawal statements to take into account.")
    List<Path> withdrawals = List.of();
    @Option(names = "--at", paramLabel = "INSTANT", description = "Judge validity at this instant (ISO-8601) instead of now.")
    String at;
    @Parameters(index = "0", paramLabel = "FILE", description = "Agreement file.")
    Path file;

    @Override
    public Integer call() {
        AgreementDocument document = AgreementFiles.document(file);
        List<WithdrawalStatement> statements = withdrawals.stream()
                .map(path -> WithdrawalStatement.parse(CliFiles.read(path))).toList();
        AgreementReport report = AgreementVerifier.verify(document, instant(),
                Optional.ofNullable(predecessor).map(AgreementFiles::document), statements, false);
        var out = spec.commandLine().getOut();
        if (json) {
            out.print(Json.writePretty(report.toJson()));
        } else {
            out.println(report.agreement().id() + " version " + report.agreement().version() + "  " + report.agreement().title());
            out.println("status:   " + report.status().wireName() + report.note().map(n -> " (" + n + ")").orElse(""));
            out.println("validity: " + report.agreement().notBefore() + " to " + report.agreement().notAfter());
            out.println("scopes:   " + String.join(", ", report.agreement().scopes()) + "; amendments: "
                    + report.agreement().amendmentRule() + "; retention: " + report.agreement().retentionDays() + " days");
            out.println("sha256:   " + document.sha256());
            Table table = new Table("PARTY", "STATUS", "MUNICIPALITIES", "NAME");
            for (PartyReport party : report.parties()) {
                var card = report.agreement().party(party.node()).orElseThrow();
                table.row(party.node(), party.status().wireName(),
                        String.join(" ", card.profile().municipalities().stream().map(Object::toString).toList()), party.displayName());
            }
            table.print(out);
        }
        out.flush();
        return report.isActive() ? ExitCodes.OK : ExitCodes.NOT_VERIFIED;
    }

    private Instant instant() {
        if (at == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new CliException(ExitCodes.USAGE, "--at must be an ISO-8601 instant such as 2025-04-01T00:00:00Z");
        }
    }
}
