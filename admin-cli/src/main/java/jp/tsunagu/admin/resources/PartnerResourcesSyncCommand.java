package jp.tsunagu.admin.resources;

import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.admin.NodeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code partner-resources sync}: pull every partner now, instead of waiting for the next 10-minute pull. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Pull every partner's published resources now (POST /admin/v1/partner-resources/sync) and show "
                + "the result per partner; answers when every partner has answered or timed out.",
        footerHeading = "%n", footer = {"Examples:", "  tsunagu-admin partner-resources sync --node http://127.0.0.1:9080",
            "  # after importing an agreement with the resources-directory scope:",
            "  tsunagu-admin agreement submit --node http://127.0.0.1:9080 kamiina.agreement.json && \\",
            "    tsunagu-admin partner-resources sync --node http://127.0.0.1:9080",
            "", "Exits 4 also when a partner could not be pulled (the PROBLEM column says why); the copies of the",
            "other partners are still replaced."})
public final class PartnerResourcesSyncCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    NodeOption node;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PartnerPulls pulls = PartnerPulls.of(node.client().post("/admin/v1/partner-resources/sync", ""));
        pulls.print(spec.commandLine().getOut());
        if (pulls.failed() > 0) {
            spec.commandLine().getErr().println("error: " + pulls.failed() + " of " + pulls.size()
                    + " partner(s) could not be pulled");
            return ExitCodes.NODE;
        }
        return ExitCodes.OK;
    }
}
