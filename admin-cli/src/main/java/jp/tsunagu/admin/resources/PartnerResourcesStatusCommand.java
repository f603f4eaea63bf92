package jp.tsunagu.admin.resources;

import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.NodeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code partner-resources status}: each partner's last pull, without pulling. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each partner's last pull of published resources (GET /admin/v1/partner-resources): when, "
                + "how many resources were kept, how many were left out as invalid, and the problem if the pull failed.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin partner-resources status --node http://127.0.0.1:9080",
            "", "Exits 0 even when a partner's last pull failed (the PROBLEM column says why)."})
public final class PartnerResourcesStatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PartnerPulls.of(node.client().get("/admin/v1/partner-resources")).print(spec.commandLine().getOut());
        return 0;
    }
}
