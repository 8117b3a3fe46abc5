package dev.agentmesh.review;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Word-level diffs over java-diff-utils, returned as spans (we never use its HTML output). */
final class Diffs {

  private static final Pattern TOKEN =
      Pattern.compile("\\w+|\\s+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);

  private Diffs() {}

  /** Words, whitespace runs and single punctuation marks; concatenated they give {@code text}. */
  static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
    return tokens;
  }

  /** One list of spans for both sides: equal text plain, removed text deleted, added inserted. */
  static List<Span> redline(String before, String after) {
    List<String> a = tokens(before);
    List<String> b = tokens(after);
    List<Span> out = new ArrayList<>();
    int ai = 0;
    for (AbstractDelta<String> d : DiffUtils.diff(a, b).getDeltas()) {
      add(out, Span.Style.PLAIN, a.subList(ai, d.getSource().getPosition()));
      add(out, Span.Style.DELETED, d.getSource().getLines());
      add(out, Span.Style.INSERTED, d.getTarget().getLines());
      ai = d.getSource().getPosition() + d.getSource().size();
    }
    add(out, Span.Style.PLAIN, a.subList(ai, a.size()));
    return out;
  }

  /** The two sides of a changed line, each with its own changes highlighted. */
  static List<List<Span>> intraline(String before, String after) {
    List<Span> redline = redline(before, after);
    List<Span> left = new ArrayList<>();
    List<Span> right = new ArrayList<>();
    for (Span s : redline) {
      if (s.style() != Span.Style.INSERTED) {
        left.add(s);
      }
      if (s.style() != Span.Style.DELETED) {
        right.add(s);
      }
    }
    return List.of(left, right);
  }

  private static void add(List<Span> out, Span.Style style, List<String> tokens) {
    if (!tokens.isEmpty()) {
      out.add(new Span(String.join("", tokens), style));
    }
  }

  /** Words (runs of letters or digits) in {@code text}. */
  static long words(String text) {
    return tokens(text).stream().filter(t -> Character.isLetterOrDigit(t.codePointAt(0))).count();
  }

  static String signed(long n) {
    return n > 0 ? "+" + n : String.valueOf(n);
  }
}
