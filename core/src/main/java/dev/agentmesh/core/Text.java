package dev.agentmesh.core;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Small text helpers for messages: clipping long values, suggesting near-miss names. */
final class Text {

  private Text() {}

  /** At most {@code max} characters, with an ellipsis and the full length when cut. */
  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
  }

  /** The candidate closest to {@code name} if it is a plausible typo, else {@code null}. */
  static @Nullable String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d =
          distance(name.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, name.length() / 3))
        ? best
        : null;
  }

  /** The exception's message, or its simple class name when it has none. */
  static String message(Throwable e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  /** {@code " (did you mean 'x'?)"} or the empty string. */
  static String didYouMean(String name, Collection<String> candidates) {
    String c = closest(name, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
