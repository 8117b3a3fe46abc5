package dev.agentmesh.models.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text bound for an exception message or a log line: the configured key itself
 * and anything shaped like a provider key or a bearer token.
 */
public final class Redactor {

  private static final Pattern KEY_SHAPED =
      Pattern.compile("(?i)(sk-(?:ant-|proj-)?|bearer\\s+)[A-Za-z0-9_\\-.]{6,}");

  private Redactor() {}

  /** {@code text} with {@code key} and key-shaped strings replaced by {@code [redacted]}. */
  public static String redact(String text, @Nullable String key) {
    String out = text;
    if (key != null && key.length() >= 4) {
      out = out.replace(key, "[redacted]");
    }
    return KEY_SHAPED.matcher(out).replaceAll("$1[redacted]");
  }
}
