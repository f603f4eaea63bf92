package jp.tsunagu.admin.sensors;

import picocli.CommandLine.Command;

/** Groups the commands about sensor gateways' credentials. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "A gateway's credential is its own Ed25519 key: the provider generates it (keygen), the node "
                + "registers the public half (issue), lists and revokes it. The private half never leaves the provider.",
        subcommands = {GatewayKeygenCommand.class, GatewayIssueCommand.class, GatewayListCommand.class,
            GatewayRevokeCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin sensors gateway keygen --out mimamori-gw1.jwk",
            "  tsunagu-admin sensors gateway issue --node http://127.0.0.1:9080 --issued-by ina-unyou \\",
            "      --name 伊那市 西箕輪 --provider みまもりテック株式会社 --public-key mimamori-gw1.public.jwk --rate 60",
            "  tsunagu-admin sensors gateway list --node http://127.0.0.1:9080",
            "  tsunagu-admin sensors gateway revoke --node http://127.0.0.1:9080 --revoked-by ina-unyou gw-0123456789abcdef"})
public final class GatewayCommand {
}
