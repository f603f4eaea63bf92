package jp.tsunagu.node.resources;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the portal needs from the node's configuration: the network's name and municipalities,
 * the map's tile source and attribution, the geocoder, and the public address of the site (for
 * canonical links, Open Graph and the sitemap; absent means the address the request came to).
 */
public record PortalSettings(String networkName, List<String> municipalities, String tileUrl, String attribution,
    URI attributionUrl, URI geocoderUrl, Optional<URI> publicUrl) {

  public PortalSettings {
    municipalities = List.copyOf(municipalities);
  }
}
