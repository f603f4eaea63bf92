package jp.tsunagu.node.resources;

/** A WGS 84 point (latitude, longitude in degrees). */
public record GeoPoint(double latitude, double longitude) {

  private static final double EARTH_RADIUS_METRES = 6_371_008.8;

  /** Great-circle distance by the haversine formula; metres are what a walk or a drive needs. */
  public double metresTo(GeoPoint other) {
    double lat1 = Math.toRadians(latitude);
    double lat2 = Math.toRadians(other.latitude);
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians(other.longitude - longitude);
    double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /** Inside Japan's extent (with its remote islands); anything else is a typing error. */
  public boolean inJapan() {
    return latitude >= 20 && latitude <= 46 && longitude >= 122 && longitude <= 154;
  }
}
