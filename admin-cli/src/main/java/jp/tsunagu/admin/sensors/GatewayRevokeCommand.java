package jp.tsunagu.admin.sensors;

import java.util.Map;
import java.util.concurrent.Callable;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.federation.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sensors gateway revoke ID}: from now on the node refuses every batch of that gateway. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a gateway's key: every batch it sends from now on is refused (ingest.gateway_revoked). "
                + "A new key is a new gateway (issue).",
        footerHeading = "%n", footer = {"Example:",
            "  tsunagu-admin sensors gateway revoke --node http://127.0.0.1:9080 --revoked-by ina-unyou gw-0123456789abcdef"})
public final class GatewayRevokeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Option(names = "--revoked-by", required = true, paramLabel = "LOGIN_ID",
            description = "Your node operator or 行政 account's login id.")
    String revokedBy;
    @Parameters(paramLabel = "GATEWAY_ID", description = "The gateway to revoke.")
    String gatewayId;

    @Override
    public Integer call() {
        GatewayPoster.requireGatewayId(gatewayId);
        node.client().post("/admin/v1/sensors/gateways/" + gatewayId + "/revoke", Json.write(Map.of("revokedBy", revokedBy)));
        spec.commandLine().getOut().println("revoked gateway " + gatewayId);
        return ExitCodes.OK;
    }
}
