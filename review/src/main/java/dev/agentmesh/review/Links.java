package dev.agentmesh.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every link in a message body, in any of the forms a client might make live: Markdown {@code
 * [text](target)}, Slack {@code <target|text>}, HTML {@code <a href="target">text</a>}, autolinks
 * {@code <scheme:...>} and bare {@code http(s)://}, {@code www.} or {@code javascript:}/{@code
 * data:} text.
 */
final class Links {

  private static final Pattern LINK =
      Pattern.compile(
          "\\[(?<mdtext>[^\\]\\n]{0,300})\\]\\(\\s*<?(?<mdurl>[^)\\s>]*)>?[^)\\n]{0,300}\\)"
              + "|<(?<slackurl>[A-Za-z][A-Za-z0-9+.-]*:[^|>\\s]*)\\|(?<slacktext>[^>\\n]{0,300})>"
              + "|<a\\s[^>]{0,300}?href\\s*=\\s*[\"']?(?<hrefurl>[^\"'\\s>]*)[\"']?[^>]{0,300}>(?<hreftext>[^<]{0,300})</a>"
              + "|<(?<auto>[A-Za-z][A-Za-z0-9+.-]*:[^>\\s]+)>"
              + "|(?<bare>(?i:https?://|www\\.|javascript:|data:|vbscript:)[^\\s<>()\\[\\]\"']+)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern HOSTLIKE =
      Pattern.compile("(?i)(?:[a-z][a-z0-9+.-]*://)?((?:[a-z0-9-]+\\.)+[a-z]{2,})(?:[/:?#].*)?");

  private Links() {}

  static List<MessageSurface.Link> find(String body) {
    List<MessageSurface.Link> links = new ArrayList<>();
    Matcher m = LINK.matcher(body);
    while (m.find()) {
      String text = first(m, "mdtext", "slacktext", "hreftext", "auto", "bare");
      String target = first(m, "mdurl", "slackurl", "hrefurl", "auto", "bare");
      links.add(new MessageSurface.Link(text, target, problem(text.strip(), target.strip())));
    }
    return links;
  }

  private static String first(Matcher m, String... groups) {
    for (String g : groups) {
      if (m.group(g) != null) {
        return m.group(g);
      }
    }
    return "";
  }

  static String problem(String text, String target) {
    String lower = target.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://")
        || lower.startsWith("https://")
        || lower.startsWith("mailto:")
        || lower.startsWith("www."))) {
      return "not an http, https or mailto link";
    }
    String targetHost = host(target);
    String textHost = host(text);
    if (textHost != null && targetHost != null && !textHost.equals(targetHost)) {
      return "shows " + textHost + " but goes to " + targetHost;
    }
    if (targetHost != null && targetHost.contains("xn--")) {
      return "internationalised (punycode) domain";
    }
    return "";
  }

  private static @org.jspecify.annotations.Nullable String host(String s) {
    Matcher m = HOSTLIKE.matcher(s.strip());
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT).replaceFirst("^www\\.", "") : null;
  }
}
