package dev.agentmesh.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The instructions template: {@code {{input}}}, {@code {{input.field.sub}}} and {@code
 * {{context.key}}} are replaced per call. A missing value renders as the empty string. Compiled
 * once per agent into literal text and placeholder paths; rendering scans nothing.
 *
 * <p>Every {@code {{} opens a placeholder that must be closed by {@code }}} and name a path; {@link
 * #scan} reports the ones that do not, so a spec that would send a broken placeholder to the model
 * literally is refused when it loads. A lone {@code }}} is text (JSON examples end so).
 */
final class Template {

  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final List<String> ROOTS = List.of("input", "context");

  /** One placeholder as written, from its {@code {{} at {@code start}; {@code problem} is null when it is well formed. */
  record Placeholder(int start, String text, String path, @Nullable String problem) {}

  /** Literal text at even indexes, placeholder paths (split on '.') at odd ones. */
  private final Object[] parts;

  private final int literalLength;

  private Template(Object[] parts, int literalLength) {
    this.parts = parts;
    this.literalLength = literalLength;
  }

  /**
   * Compiles well-formed placeholders; a malformed one (which {@link #scan} reports) stays literal
   * text.
   */
  static Template compile(String template) {
    List<Object> parts = new ArrayList<>();
    int at = 0;
    int literal = 0;
    for (Placeholder p : scan(template)) {
      if (p.problem() != null) continue;
      parts.add(template.substring(at, p.start()));
      parts.add(p.path().split("\\."));
      literal += p.start() - at;
      at = p.start() + p.text().length();
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

  /**
   * Every well-formed placeholder path in the template, in order, such as {@code input.customer}.
   */
  static List<String> placeholders(String template) {
    return scan(template).stream().filter(p -> p.problem() == null).map(Placeholder::path).toList();
  }

  /** Every placeholder as written, in order, each with what is wrong with it if anything. */
  static List<Placeholder> scan(String template) {
    List<Placeholder> out = new ArrayList<>();
    int open = template.indexOf("{{");
    while (open >= 0) {
      int close = template.indexOf("}}", open + 2);
      int next = template.indexOf("{{", open + 2);
      if (close < 0 || (next >= 0 && next < close && !template.startsWith("{{{", open))) {
        String text = unclosedText(template, open, next);
        out.add(
            new Placeholder(
                open, text, "", "placeholder '" + text + "' is not closed; close it with '}}'"));
        open = next;
        continue;
      }
      String text = template.substring(open, close + 2);
      String path = template.substring(open + 2, close).strip();
      out.add(new Placeholder(open, text, path, problem(text, path)));
      open = template.indexOf("{{", close + 2);
    }
    return out;
  }

  private static String unclosedText(String template, int open, int next) {
    int end = template.indexOf('\n', open);
    if (next >= 0 && (end < 0 || next < end)) end = next;
    return Text.clip(
        template.substring(open, end < 0 ? template.length() : end).stripTrailing(), 40);
  }

  private static @Nullable String problem(String text, String path) {
    String written = "placeholder '" + Text.clip(text, 40) + "'";
    String forms = "write {{input}}, {{input.field}} or {{context.key}}";
    if (path.isEmpty()) return written + " is empty; " + forms;
    if (!PATH.matcher(path).matches()) {
      return written
          + " is not a path of names joined by '.'"
          + (path.contains("{") ? " (there is one '{' too many)" : "")
          + "; "
          + forms;
    }
    String[] parts = path.split("\\.");
    if (!ROOTS.contains(parts[0])) {
      return written
          + " must start with 'input' or 'context'"
          + Text.didYouMean(parts[0], ROOTS)
          + "; "
          + forms;
    }
    if (parts[0].equals("context") && parts.length != 2) {
      return written + " must name one context key, as in {{context.team}}";
    }
    return null;
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
