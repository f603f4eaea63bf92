package jp.tsunagu.admin.sensors;

import java.time.Instant;
import java.util.concurrent.Callable;
import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.admin.Table;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sensors gateway list}: the node's gateways, their state and last delivery. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the node's sensor gateways.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin sensors gateway list --node http://127.0.0.1:9080"})
public final class GatewayListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/sensors/gateways"), "wire.malformed", "gateways");
        Table table = new Table("ID", "NAME", "PROVIDER", "STATUS", "RATE/MIN", "DEVICES", "LAST SEEN");
        for (Object item : answer.array("gateways")) {
            JsonFields g = JsonFields.of(item, "wire.malformed", "gateway");
            String seen = g.object().get("lastSeenMs") instanceof Number ms
                    ? Instant.ofEpochMilli(ms.longValue()).toString() : "never";
            table.row(g.string("id"), g.string("name"), g.string("provider"), g.string("status"),
                    g.integer("ratePerMinute"), g.integer("devices"), seen);
        }
        table.print(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
