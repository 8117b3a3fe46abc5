package dev.agentmesh.review.notify;

import java.util.regex.Pattern;

/** Making untrusted text safe for one line, one log, one header, one Slack field. */
final class NotifyText {

  private static final Pattern SLACK_ENTITY = Pattern.compile("&(amp|lt|gt);");

  private NotifyText() {}

  /** {@code text} on one line: line breaks and controls shown as escapes, cut at {@code max}. */
  static String visible(String text, int max) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\n') {
                out.append("\\n");
              } else if (c == '\r') {
                out.append("\\r");
              } else if (Character.isISOControl(c)
                  || c == 0x2028
                  || c == 0x2029
                  || (c >= 0x202a && c <= 0x202e)
                  || (c >= 0x2066 && c <= 0x2069)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return truncate(out.toString(), max);
  }

  /**
   * {@code text} cut to {@code max} characters with an ellipsis, never splitting a surrogate pair.
   */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "\u2026";
  }

  /**
   * Slack mrkdwn with {@code &}, {@code <} and {@code >} escaped, so {@code <!channel>}, {@code
   * <@U123>} and {@code <url|text>} stay inert; entities already escaped stay as they are.
   */
  static String slack(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '<') {
        out.append("&lt;");
      } else if (c == '>') {
        out.append("&gt;");
      } else if (c == '&' && !SLACK_ENTITY.matcher(text).region(i, text.length()).lookingAt()) {
        out.append("&amp;");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** HTML text and attribute values escaped. */
  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
