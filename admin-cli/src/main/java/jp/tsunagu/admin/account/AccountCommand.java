package jp.tsunagu.admin.account;

import picocli.CommandLine.Command;

/** Groups the commands about a node's accounts. */
@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Create the accounts that belong to no facility: municipal staff (行政), emergency responders "
                + "(救急・消防) and node operators.",
        subcommands = {AccountCreateCommand.class},
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin account create --node http://127.0.0.1:9080 --role municipal_staff --login-id ina-kenkou \\",
            "      --email kenkou@city.ina.example.jp --family-name 田中 --given-name 明子 --family-kana タナカ \\",
            "      --given-kana アキコ --device windows"})
public final class AccountCommand {
}
