package dev.agentmesh.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The instructions template: {@code {{input}}}, {@code {{input.field.sub}}} and
 * {@code {{context.key}}} are replaced per call. A missing value renders as the empty string.
 */
final class Template {

  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  private Template() {}

  /** Every placeholder path in the template, in order, such as {@code input.customer}. */
  static List<String> placeholders(String template) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  static String render(String template, JsonNode input, Map<String, String> context) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), input, context)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String value(String path, JsonNode input, Map<String, String> context) {
    String[] parts = path.split("\\.");
    if (parts[0].equals("context")) {
      return parts.length == 2 ? context.getOrDefault(parts[1], "") : "";
    }
    JsonNode node = input;
    for (int i = 1; i < parts.length && node != null; i++) node = node.get(parts[i]);
    return node == null || node.isNull() || node.isMissingNode() ? "" : Json.text(node);
  }
}
