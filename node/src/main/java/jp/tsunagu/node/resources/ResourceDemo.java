package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.reference.PostalAddress;

/**
 * The demo's regional resources: on each node, fictional but plausible 通いの場, exercise classes,
 * care facilities, shopping support and multipurpose toilets of its own municipality (addresses and
 * points inside it, phone numbers in the unassigned 0265-00 range), read from
 * {@code demo/resources-CODE.csv} through the CSV import, so they are checked like what staff
 * import. Only into an empty catalogue: a later start of the same demo changes nothing.
 */
public final class ResourceDemo {

  private ResourceDemo() {}

  static void seed(NodeServices services, ResourceService service) {
    if (await(service.all()).isEmpty()) {
      importCatalogue(services, service);
      keepPatientHomes(services);
    }
  }

  private static void importCatalogue(NodeServices services, ResourceService service) {
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

  /**
   * The demo's patients live at fictional addresses that no address search knows, and the demo
   * may run offline: their homes are kept as found places (as a node that had looked them up
   * before would hold them), around the middle of the municipality's demo resources, so their
   * 周辺資源 tab works at once. Patients not of the demo (none on a demo node) are left alone.
   */
  private static void keepPatientHomes(NodeServices services) {
    String now = java.time.Instant.now(services.clock()).toString();
    await(services.database().write(c -> {
      List<Home> homes = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select p.address, p.municipality_code, avg(r.latitude),"
          + " avg(r.longitude) from patients p join resources r on r.municipality_code = p.municipality_code"
          + " group by p.id order by p.created_at, p.id");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          homes.add(new Home(PostalAddress.withMunicipality(rs.getString(2), rs.getString(1)),
              new GeoPoint(rs.getDouble(3), rs.getDouble(4))));
        }
      }
      for (int i = 0; i < homes.size(); i++) {
        Home home = homes.get(i);
        // A few hundred metres apart, so each patient's nearest resources differ a little.
        GeoPoint point = new GeoPoint(home.resourcesCentre().latitude() + 0.004 * (i % 3 - 1),
            home.resourcesCentre().longitude() + 0.005 * (i / 3 % 3 - 1));
        Geocoder.keep(c, home.address(), new Geocoder.Place(point, home.address()), now);
      }
      return homes.size();
    }));
  }

  /** A demo patient's address as the geocoder is asked for it, and the middle of its municipality's resources. */
  private record Home(String address, GeoPoint resourcesCentre) {}

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
