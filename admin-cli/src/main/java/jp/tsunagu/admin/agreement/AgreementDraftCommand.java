package jp.tsunagu.admin.agreement;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.Agreement;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.agreement.AmendmentRule;
import jp.tsunagu.federation.agreement.Predecessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agreement draft}: writes an unsigned agreement from partners' identity cards. */
@Command(name = "draft", mixinStandardHelpOptions = true,
        description = "Write an unsigned agreement from the parties' identity cards. With --replaces it drafts the next "
                + "version (an amendment) naming the replaced version's hash; id and rules carry over unless given.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin agreement draft --id kamiina --title '上伊那地域在宅医療・介護連携に関する広域連携協定' \\",
            "      --card ina.card.json --card minamiminowa.card.json --scope care-team --scope resources-directory \\",
            "      --valid-days 1095 --not-before 2024-07-01 --retention-days 180 --out kamiina-v1.draft.json",
            "  tsunagu-admin agreement draft --replaces kamiina-v1.json --title '上伊那地域在宅医療・介護連携に関する広域連携協定' \\",
            "      --card ina.card.json --card minamiminowa.card.json --card minowa.card.json \\",
            "      --scope care-team,resources-directory --valid-days 730 --not-before 2025-04-01 --out kamiina-v2.draft.json"})
public final class AgreementDraftCommand implements Callable<Integer> {
    /** Dates on the command line are Japanese calendar days. */
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--id", description = "Agreement id, e.g. kamiina. Taken from --replaces when omitted.")
    String id;
    @Option(names = "--title", required = true, description = "Title, in Japanese.")
    String title;
    @Option(names = "--card", required = true, arity = "1..*", paramLabel = "FILE", description = "Identity card of each party.")
    List<Path> cards;
    @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
            description = "What may flow: care-team, resources-directory, emergency-access, statistics,"
                    + " certification-review.")
    List<String> scopes;
    @Option(names = "--valid-days", required = true, paramLabel = "N", description = "Days of validity from --not-before.")
    int validDays;
    @Option(names = "--not-before", paramLabel = "DATE", description = "First day of validity (YYYY-MM-DD, Japan time); default today.")
    String notBefore;
    @Option(names = "--amendment-rule", paramLabel = "RULE",
            description = "unanimous or threshold:M; default unanimous (or the replaced version's rule).")
    String amendmentRule;
    @Option(names = "--replaces", paramLabel = "FILE", description = "Signed agreement this draft amends.")
    Path replaces;
    @Option(names = "--retention-days", paramLabel = "N",
            description = "Days partners keep replicated data after the agreement ends for them; default 90 (or the replaced version's).")
    Long retentionDays;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Draft file to write.")
    Path out;

    @Override
    public Integer call() {
        Optional<AgreementDocument> predecessor = Optional.ofNullable(replaces).map(AgreementFiles::document);
        String agreementId = id != null ? id : predecessor.map(p -> p.agreement().id())
                .orElseThrow(() -> new CliException(ExitCodes.USAGE, "--id is required unless --replaces is given"));
        if (validDays < 1) {
            throw new CliException(ExitCodes.USAGE, "--valid-days must be at least 1");
        }
        var start = startDate().atStartOfDay(JAPAN).toInstant();
        Agreement agreement = new Agreement(agreementId,
                predecessor.map(p -> p.agreement().version() + 1).orElse(1L), title,
                cards.stream().map(AgreementFiles::card).toList(), scopes, start, start.plus(validDays, ChronoUnit.DAYS),
                amendmentRule != null ? AmendmentRule.parse(amendmentRule)
                        : predecessor.map(p -> p.agreement().amendmentRule()).orElse(AmendmentRule.UNANIMOUS),
                predecessor.map(p -> new Predecessor(p.agreement().id(), p.agreement().version(), p.sha256())),
                retentionDays != null ? retentionDays : predecessor.map(p -> p.agreement().retentionDays()).orElse(90L));
        AgreementDocument draft = AgreementDocument.draft(agreement);
        CliFiles.write(out, draft.toPrettyJson());
        var stdout = spec.commandLine().getOut();
        stdout.println("wrote draft " + agreementId + " version " + agreement.version() + " with "
                + agreement.parties().size() + " parties to " + out);
        stdout.println("sha256: " + draft.sha256());
        stdout.flush();
        return 0;
    }

    private LocalDate startDate() {
        if (notBefore == null) {
            return LocalDate.now(JAPAN);
        }
        try {
            return LocalDate.parse(notBefore);
        } catch (DateTimeParseException e) {
            throw new ProtocolException("agreement.validity_invalid", "--not-before must be YYYY-MM-DD, got '" + notBefore + "'");
        }
    }
}
