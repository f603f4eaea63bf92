package jp.tsunagu.admin.cluster;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import jp.tsunagu.admin.Table;
import jp.tsunagu.federation.json.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cluster status}: members, leader, fencing token and each instance's state, applied batch and
 * lag (a node before instance states: each follower's, as the leader heard it).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the instances of a running node (GET /admin/v1/cluster): the members, the leader and its "
                + "fencing token, the batch this instance applied and each instance's state (leader, follower, "
                + "joining, bootstrapping: copying the leader's snapshot, diverged: must be rebuilt), applied "
                + "batch and lag behind the leader. Exits with 4 when the cluster has no leader.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin cluster status --node http://127.0.0.1:9080"})
public final class ClusterStatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/cluster"), "wire.malformed", "cluster status");
        PrintWriter out = spec.commandLine().getOut();
        if ("single".equals(answer.string("role"))) {
            out.println("single instance (no cluster configured)");
            return ExitCodes.OK;
        }
        boolean led = answer.object().get("leader") instanceof String;
        String leader = led ? answer.string("leader") : "";
        out.printf("cluster:        %s%n", answer.string("cluster"));
        out.printf("this instance:  %s (%s)%n", answer.string("self"), answer.string("role"));
        out.printf("leader:         %s%n", led ? leader : "none");
        out.printf("fencing token:  %d%n", answer.integer("token"));
        out.printf("applied batch:  %d%n", answer.integer("appliedBatch"));
        out.printf("sync replicas:  %d%n", answer.integer("syncReplicas"));
        if (answer.has("instances")) {
            Table instances = new Table("MEMBER", "STATE", "APPLIED BATCH", "LAG");
            for (Object item : answer.array("instances")) {
                JsonFields instance = JsonFields.of(item, "wire.malformed", "instance");
                instances.row(instance.string("node"), instance.string("state"), orDash(instance, "appliedBatch"),
                        orDash(instance, "lag"));
            }
            instances.print(out);
            return led ? ExitCodes.OK : ExitCodes.NODE;
        }
        Table members = new Table("MEMBER", "ROLE", "APPLIED BATCH", "LAG");
        for (Object item : answer.array("members")) {
            String member = (String) item;
            if (member.equals(leader)) {
                members.row(member, "leader", "-", "-");
            }
        }
        if (answer.has("followers")) {
            for (Object item : answer.array("followers")) {
                JsonFields follower = JsonFields.of(item, "wire.malformed", "follower");
                members.row(follower.string("node"), "follower", follower.integer("appliedBatch"),
                        follower.integer("lag"));
            }
        } else {
            for (Object item : answer.array("members")) {
                String member = (String) item;
                if (!member.equals(leader)) {
                    members.row(member, "follower", "-", "-");
                }
            }
        }
        members.print(out);
        return led ? ExitCodes.OK : ExitCodes.NODE;
    }

    /** A number the instance has not published (joining, bootstrapping, diverged) is shown as "-". */
    private static Object orDash(JsonFields fields, String name) {
        return fields.object().get(name) instanceof Number ? fields.integer(name) : "-";
    }
}
