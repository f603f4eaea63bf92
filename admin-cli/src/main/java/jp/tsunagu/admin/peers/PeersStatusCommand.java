package jp.tsunagu.admin.peers;

import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.admin.Table;
import jp.tsunagu.admin.Times;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code peers status}: reachability and replication lag of each peer. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each peer of a running node (GET /admin/v1/peers): endpoint, reachability, last contact, "
                + "outbox backlog, replication lag and team events the peer rejected (kept, never resent).",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin peers status --node http://127.0.0.1:9080"})
public final class PeersStatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/peers"), "wire.malformed", "peer list");
        Table table = new Table("PEER", "ENDPOINT", "REACHABLE", "LAST CONTACT", "BACKLOG", "LAG", "REJECTED");
        for (Object item : answer.array("peers")) {
            JsonFields peer = JsonFields.of(item, "wire.malformed", "peer");
            table.row(peer.string("node"), peer.string("endpoint"), Boolean.TRUE.equals(peer.object().get("reachable")) ? "yes" : "no",
                    Times.seconds(peer.has("lastContact") ? peer.string("lastContact") : null, "never"),
                    peer.has("backlog") ? peer.integer("backlog") : 0,
                    peer.has("lagSeconds") ? peer.integer("lagSeconds") + "s" : "-",
                    peer.has("rejected") ? peer.integer("rejected") : 0);
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
