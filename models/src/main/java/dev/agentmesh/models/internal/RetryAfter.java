package dev.agentmesh.models.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/** Parses the headers by which servers say how long to wait. */
public final class RetryAfter {

  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
  private static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /**
   * The wait from {@code retry-after-ms} or {@code Retry-After} (seconds or an HTTP date), else
   * from the dialect's reset headers; {@code null} when none says.
   */
  public static @Nullable Duration from(Headers headers, Instant now, ProviderDialect dialect) {
    Duration millis = millis(headers.get("retry-after-ms"));
    if (millis != null) {
      return millis;
    }
    Duration standard = standard(headers.get("Retry-After"), now);
    return standard != null ? standard : dialect.resetHint(headers, now);
  }

  static @Nullable Duration millis(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return clamp(Duration.ofMillis(Math.round(Double.parseDouble(value.strip()))));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code Retry-After}: delay-seconds or an HTTP date. */
  public static @Nullable Duration standard(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return clamp(Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at =
            ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return clamp(Duration.between(now, at));
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  /** A Go-style duration as OpenAI sends it: {@code 1s}, {@code 6m0s}, {@code 20ms}. */
  public static @Nullable Duration goDuration(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(value.strip());
    double millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
          };
      end = m.end();
    }
    return end == value.strip().length() && end > 0
        ? clamp(Duration.ofMillis(Math.round(millis)))
        : null;
  }

  /** An RFC 3339 instant as Anthropic sends it, as the wait from {@code now}. */
  public static @Nullable Duration instant(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return clamp(Duration.between(now, Instant.parse(value.strip())));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The reset of the first exhausted limit (its remaining header is 0) among pairs of {@code
   * remaining, reset} header names; {@code null} when none is exhausted.
   */
  static @Nullable Duration exhaustedReset(
      Headers headers, Instant now, boolean goStyle, String... remainingThenReset) {
    Duration longest = null;
    for (int i = 0; i + 1 < remainingThenReset.length; i += 2) {
      if (!"0".equals(headers.get(remainingThenReset[i]))) {
        continue;
      }
      String reset = headers.get(remainingThenReset[i + 1]);
      Duration d = goStyle ? goDuration(reset) : instant(reset, now);
      if (d != null && (longest == null || d.compareTo(longest) > 0)) {
        longest = d;
      }
    }
    return longest;
  }

  private static Duration clamp(Duration d) {
    return d.isNegative() ? Duration.ZERO : d.compareTo(MAX) > 0 ? MAX : d;
  }
}
