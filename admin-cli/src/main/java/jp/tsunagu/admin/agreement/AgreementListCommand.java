package jp.tsunagu.admin.agreement;

import java.util.List;
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

/** {@code agreement list}: the agreements a running node holds. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the agreements a running node holds (GET /admin/v1/agreements), with each party's status.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin agreement list --node http://127.0.0.1:9080"})
public final class AgreementListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonFields answer = JsonFields.of(node.client().get("/admin/v1/agreements"), "wire.malformed", "agreement list");
        Table table = new Table("ID", "VERSION", "STATUS", "NOT AFTER", "PARTIES", "TITLE");
        for (Object item : answer.array("agreements")) {
            JsonFields agreement = JsonFields.of(item, "wire.malformed", "agreement");
            List<String> parties = agreement.array("parties").stream()
                    .map(p -> JsonFields.of(p, "wire.malformed", "party"))
                    .map(p -> p.string("node") + "(" + p.string("status") + ")").toList();
            table.row(agreement.string("id"), agreement.integer("version"), agreement.string("status"),
                    Times.seconds(agreement.optionalString("notAfter"), "-"), String.join(" ", parties), agreement.string("title"));
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }

}
