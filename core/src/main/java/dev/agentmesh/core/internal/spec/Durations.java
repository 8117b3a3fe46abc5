package dev.agentmesh.core.internal.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the duration spelling of spec and trigger files: {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, or ISO-8601.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 30s} or {@code PT30S}.
   *
   * @param text the duration as written
   * @return the duration
   * @throws IllegalArgumentException naming the forms, when it is none of them
   */
  public static Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a duration such as 250ms, 30s, 5m, 2h or PT30S but found '" + text + "'");
    }
  }

  /**
   * The shortest exact spelling: {@code 2h}, {@code 5m}, {@code 30s}, {@code 250ms}.
   *
   * @param d the duration
   * @return its spelling
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
