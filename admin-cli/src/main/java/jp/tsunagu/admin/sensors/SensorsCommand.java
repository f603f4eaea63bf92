package jp.tsunagu.admin.sensors;

import picocli.CommandLine.Command;

/** Groups the commands about watch sensors (みまもりセンサー). */
@Command(name = "sensors", mixinStandardHelpOptions = true,
        description = "Watch sensors (みまもりセンサー): the gateways that deliver readings, and a simulator that plays them.",
        subcommands = {GatewayCommand.class, SimulateCommand.class},
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin sensors gateway keygen --out mimamori-gw1.jwk",
            "  tsunagu-admin sensors gateway issue --node http://127.0.0.1:9080 --issued-by ina-unyou \\",
            "      --name 伊那市 西箕輪 --provider みまもりテック株式会社 --public-key mimamori-gw1.public.jwk",
            "  tsunagu-admin sensors simulate --node http://127.0.0.1:9080 --web https://127.0.0.1:8443 \\",
            "      --trust web.crt --gateway gw-0123456789abcdef --key mimamori-gw1.jwk --backlog-hours 24"})
public final class SensorsCommand {
}
