package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a spec loaded from a file stands, so a problem found after loading (by the
 * mesh check) still names {@code file:line:col}. Carried by {@link AgentSpec}, never part of its
 * equality or fingerprint. Immutable once built.
 *
 * <p>Paths: {@code model}, {@code limits.maxTurns}, {@code input.properties.customer}; list items
 * that are strings by value, {@code tools[lookupTier]}, others by index, {@code anyOf[0]};
 * placeholders in the instructions by their offset in the text, {@code instructions@42}.
 */
final class SpecPlaces {

  private final String source;
  private final Map<String, int[]> places;

  private SpecPlaces(String source, Map<String, int[]> places) {
    this.source = source;
    this.places = places;
  }

  /** The places of every value under {@code root}, and of each placeholder in its instructions. */
  static SpecPlaces of(String source, Node root, String document) {
    Map<String, int[]> places = new HashMap<>();
    flatten("", root, places);
    Node instructions = root.fields.get("instructions");
    if (instructions != null && instructions.isString()) {
      List<Integer> lines = lineStarts(document);
      for (Template.Placeholder p : Template.scan(instructions.text())) {
        places.put("instructions@" + p.start(), inside(document, lines, instructions, p.start()));
      }
    }
    return new SpecPlaces(source, Map.copyOf(places));
  }

  /**
   * A problem at the value under {@code path}, or at the closest enclosing value that has a place.
   */
  SpecProblem problem(String path, String message) {
    for (String p = path; ; p = parent(p)) {
      int[] at = places.get(p);
      if (at != null) return new SpecProblem(source, at[0], at[1], message);
      if (p.isEmpty()) return new SpecProblem(source, 0, 0, message);
    }
  }

  /**
   * {@code file:line:col} of the value under {@code path}, for messages that point at a second
   * place.
   */
  String where(String path) {
    SpecProblem p = problem(path, "");
    return p.line() > 0 ? p.source() + ":" + p.line() + ":" + p.column() : p.source();
  }

  private static String parent(String path) {
    int cut =
        Math.max(path.lastIndexOf('.'), Math.max(path.lastIndexOf('['), path.lastIndexOf('@')));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static void flatten(String path, Node node, Map<String, int[]> places) {
    places.putIfAbsent(path, new int[] {node.line, node.column});
    node.fields.forEach(
        (key, value) -> flatten(path.isEmpty() ? key : path + "." + key, value, places));
    for (int i = 0; i < node.items.size(); i++) {
      Node item = node.items.get(i);
      flatten(path + "[" + (item.isString() ? item.scalar : i) + "]", item, places);
    }
  }

  /**
   * The line and column of the {@code {{} at {@code offset} in a string value, found in the source
   * text between where the value starts and ends: the k-th {@code {{} of the value is the k-th of
   * its source, whatever the scalar's style (plain, quoted, a {@code |} or {@code >} block). Falls
   * back to the value's own place when the source spells it differently (escapes).
   */
  static int[] inside(String document, List<Integer> lineStarts, Node scalar, int offset) {
    int[] fallback = {scalar.line, scalar.column};
    String value = scalar.text();
    List<Integer> inValue = openings(value, 0, value.length());
    int k = inValue.indexOf(offset);
    int from = index(document, lineStarts, scalar.line, scalar.column);
    int to =
        scalar.endLine == 0
            ? document.length()
            : index(document, lineStarts, scalar.endLine, scalar.endColumn);
    if (k < 0 || from < 0 || to < from) return fallback;
    List<Integer> inSource = openings(document, from, to);
    if (inSource.size() != inValue.size()) return fallback;
    int at = inSource.get(k);
    int line = lineOf(lineStarts, at);
    int start = lineStarts.get(line - 1);
    return new int[] {line, document.codePointCount(start, at) + 1};
  }

  private static List<Integer> openings(String text, int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = text.indexOf("{{", from); i >= 0 && i + 2 <= to; i = text.indexOf("{{", i + 2))
      out.add(i);
    return out;
  }

  static List<Integer> lineStarts(String document) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = document.indexOf('\n'); i >= 0; i = document.indexOf('\n', i + 1))
      starts.add(i + 1);
    return starts;
  }

  /** The index of a 1-based line and code-point column, or -1 when it is outside the text. */
  private static int index(String document, List<Integer> lineStarts, int line, int column) {
    if (line < 1 || line > lineStarts.size() || column < 1) return -1;
    int start = lineStarts.get(line - 1);
    int end = line < lineStarts.size() ? lineStarts.get(line) : document.length();
    int columns = document.codePointCount(start, end);
    return column - 1 >= columns ? end : document.offsetByCodePoints(start, column - 1);
  }

  private static int lineOf(List<Integer> lineStarts, int index) {
    int line = java.util.Collections.binarySearch(lineStarts, index);
    return line >= 0 ? line + 1 : -line - 1;
  }
}
