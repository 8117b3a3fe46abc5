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
 * Compiled once per agent into literal text and placeholder paths; rendering scans nothing.
 */
final class Template {

  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  /** Literal text at even indexes, placeholder paths (split on '.') at odd ones. */
  private final Object[] parts;
  private final int literalLength;

  private Template(Object[] parts, int literalLength) {
    this.parts = parts;
    this.literalLength = literalLength;
  }

  static Template compile(String template) {
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int at = 0;
    int literal = 0;
    while (m.find()) {
      parts.add(template.substring(at, m.start()));
      parts.add(m.group(1).split("\\."));
      literal += m.start() - at;
      at = m.end();
    }
    parts.add(template.substring(at));
    return new Template(parts.toArray(), literal + template.length() - at);
  }

  String render(JsonNode input, Map<String, String> context) {
    if (parts.length == 1) return (String) parts[0];
    StringBuilder out = new StringBuilder(literalLength + 64);
    for (int i = 0; i < parts.length; i++) {
      out.append(i % 2 == 0 ? (String) parts[i] : value((String[]) parts[i], input, context));
    }
    return out.toString();
  }

  /** Every placeholder path in the template, in order, such as {@code input.customer}. */
  static List<String> placeholders(String template) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private static String value(String[] parts, JsonNode input, Map<String, String> context) {
    if (parts[0].equals("context")) {
      return parts.length == 2 ? context.getOrDefault(parts[1], "") : "";
    }
    JsonNode node = input;
    for (int i = 1; i < parts.length && node != null; i++) node = node.get(parts[i]);
    return node == null || node.isNull() || node.isMissingNode() ? "" : Json.text(node);
  }
}
