package jp.tsunagu.node.resources;

import java.net.URI;
import java.util.List;

/**
 * What the portal needs from the node's configuration: the network's name and municipalities,
 * the map's tile source and attribution, the geocoder, and the public address of the site (for
 * canonical links, Open Graph, JSON-LD and the sitemap), from configuration only, without a trailing slash.
 */
public record PortalSettings(String networkName, List<String> municipalities, String tileUrl, String attribution,
    URI attributionUrl, URI geocoderUrl, String publicUrl) {

  public PortalSettings {
    municipalities = List.copyOf(municipalities);
  }
}
