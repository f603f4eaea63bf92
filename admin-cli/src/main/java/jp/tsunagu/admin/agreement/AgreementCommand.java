package jp.tsunagu.admin.agreement;

import picocli.CommandLine.Command;

/** Groups the wide-area agreement commands. */
@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = "Draft, sign, merge, verify, withdraw from, submit and list wide-area agreements (広域連携協定).",
        subcommands = {AgreementDraftCommand.class, AgreementSignCommand.class, AgreementMergeCommand.class,
            AgreementVerifyCommand.class, AgreementWithdrawCommand.class, AgreementSubmitCommand.class, AgreementListCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin agreement draft --id kamiina --title '上伊那広域連携協定' --card ina.card.json \\",
            "      --card minamiminowa.card.json --scope care-team,resources-directory --valid-days 1095 --out kamiina.draft.json",
            "  tsunagu-admin agreement sign --identity ina-identity --out kamiina.ina.json kamiina.draft.json",
            "  tsunagu-admin agreement merge --out kamiina.json kamiina.ina.json kamiina.minamiminowa.json",
            "  tsunagu-admin agreement verify kamiina.json"})
public final class AgreementCommand {
}
