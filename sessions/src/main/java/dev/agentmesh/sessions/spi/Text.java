package dev.agentmesh.sessions.spi;

/** Checks shared by the SPI values. */
final class Text {

  private Text() {}

  static String requireNotBlank(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return requireNoNul(name, value);
  }

  static String requireNoNul(String name, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          name + " must not contain U+0000 but was '" + value.replace("\0", "\\u0000") + "'");
    }
    return value;
  }
}
