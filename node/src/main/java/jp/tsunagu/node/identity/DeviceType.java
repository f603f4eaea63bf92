package jp.tsunagu.node.identity;

import java.util.List;

/** 端末種別: the kinds of device a certificate is issued for. */
public final class DeviceType {

  public static final List<String> CODES = List.of("windows", "mac", "android", "ios");

  private DeviceType() {}

  public static boolean valid(String code) {
    return CODES.contains(code);
  }
}
