package dev.agentmesh.core.internal.spec;

import dev.agentmesh.core.SpecProblem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Turns a YAML or JSON parser's exception into one located problem that says what the parser found,
 * where it found it (the problem's own place, not where the enclosing value began), and how to fix
 * the common cases: tabs, unclosed quotes, a stray {@code ': '}.
 */
final class SyntaxErrors {

  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\):? (.*)", Pattern.DOTALL);
  private static final Pattern SOURCE_REF =
      Pattern.compile(" (?:starting |marker )?at \\[Source:[^\\]]*\\]");

  private SyntaxErrors() {}

  static SpecProblem problem(JacksonException e, String source, boolean yaml) {
    if (yaml && e.getCause() instanceof MarkedYamlEngineException) {
      return yaml(source, (MarkedYamlEngineException) e.getCause(), e);
    }
    TokenStreamLocation at = e.getLocation();
    int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
    int col = at == null ? 0 : Math.max(at.getColumnNr(), 0);
    String message =
        yaml ? firstLine(e.getOriginalMessage()) : json(firstLine(e.getOriginalMessage()));
    return new SpecProblem(
        source, line, col, "not valid " + (yaml ? "YAML" : "JSON") + ": " + message);
  }

  private static SpecProblem yaml(String source, MarkedYamlEngineException y, JacksonException e) {
    @Nullable Mark problemMark = y.getProblemMark().orElse(null);
    @Nullable Mark contextMark = y.getContextMark().orElse(null);
    String problem =
        y.getProblem() == null ? firstLine(e.getOriginalMessage()) : y.getProblem().strip();
    StringBuilder m = new StringBuilder("not valid YAML: ");
    boolean tab = problem.contains("\\t(TAB)");
    if (tab) {
      m.append("found character '\\t' (a tab) that cannot start any token");
    } else {
      m.append(Names.clip(problem, 200));
    }
    if (y.getContext() != null && contextMark != null) {
      m.append(' ')
          .append(y.getContext().strip())
          .append(" that starts at line ")
          .append(contextMark.getLine() + 1)
          .append(", column ")
          .append(contextMark.getColumn() + 1);
    }
    String hint =
        tab
            ? "YAML indents with spaces, not tabs: replace the tab with spaces"
            : hint(problem, y.getContext());
    if (hint != null) m.append("; ").append(hint);
    Mark at = problemMark != null ? problemMark : contextMark;
    return at == null
        ? new SpecProblem(source, 0, 0, m.toString())
        : new SpecProblem(source, at.getLine() + 1, at.getColumn() + 1, m.toString());
  }

  private static @Nullable String hint(String problem, @Nullable String context) {
    if (problem.contains("unknown escape character")) {
      return "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes";
    }
    if (context != null && context.contains("quoted scalar")) return "close the quote opened there";
    if (context != null && context.contains("flow sequence"))
      return "close the '[' opened there, or put a ',' between items";
    if (context != null && context.contains("flow mapping"))
      return "close the '{' opened there, or put a ',' between entries";
    if (problem.startsWith("mapping values are not allowed")) {
      return "a ': ' inside a plain value starts a mapping: check the indentation, or quote the value";
    }
    if (problem.contains("expected ':'")
        || problem.contains("expected <block end>")
        || problem.contains("did not find expected key")) {
      return "check the indentation: keys of one mapping start in the same column";
    }
    if (problem.contains("found undefined alias"))
      return "define the anchor (&name) before its alias (*name)";
    return null;
  }

  /**
   * Jackson's JSON message in our words: {@code found 'x' but expected ...}, with a hint for common
   * slips.
   */
  private static String json(String message) {
    String out = message;
    Matcher m = UNEXPECTED_CHAR.matcher(message);
    if (m.matches()) out = "found '" + m.group(1) + "' but " + m.group(2);
    out =
        out.replace("(for Array)", "(to close the list)")
            .replace("(for Object)", "(to close the mapping)");
    if (!out.isEmpty()) out = Character.toLowerCase(out.charAt(0)) + out.substring(1);
    if (out.startsWith("found '''")) out += "; JSON strings take double quotes";
    else if (out.startsWith("found '}'") || out.startsWith("found ']'"))
      out += "; JSON allows no comma before a closing '}' or ']'";
    else if (out.contains("double-quote to start")) out += "; JSON keys take double quotes";
    else if (out.startsWith("unexpected end-of-input"))
      out += "; the file ends before every '{' and '[' is closed";
    return Names.clip(out, 300);
  }

  /** The parser's message without its internals: first line only, no "[Source: ...]" location. */
  static String firstLine(@Nullable String s) {
    if (s == null) return "unreadable input";
    int nl = s.indexOf('\n');
    String line = SOURCE_REF.matcher(nl < 0 ? s : s.substring(0, nl)).replaceAll("");
    return line.replace(" (start marker)", "").strip();
  }
}
