package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.tsunagu.node.NodeServices;

/**
 * The demo's regional resources: on each node, fictional but plausible 通いの場, exercise classes,
 * care facilities, shopping support and multipurpose toilets of its own municipality (addresses and
 * points inside it, phone numbers in the unassigned 0265-00 range), read from
 * {@code demo/resources-CODE.csv} through the CSV import, so they are checked like what staff
 * import. Only into an empty catalogue: a later start of the same demo changes nothing.
 */
public final class ResourceDemo {

  private ResourceDemo() {}

  public static void seed(NodeServices services) {
    ResourceService service = ResourcesFeature.service(services);
    if (!await(service.all()).isEmpty()) {
      return;
    }
    for (String code : services.config().node().municipalities()) {
      byte[] csv = read("/demo/resources-" + code + ".csv");
      if (csv.length > 0) {
        ImportReport report = await(service.importCsv(csv, false));
        if (!report.ok()) {
          throw new IllegalStateException("the demo resources of " + code + " do not import: " + report.toJson());
        }
      }
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = ResourceDemo.class.getResourceAsStream(resource)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("loading the demo resources did not finish within 30 s", e);
    }
  }
}
