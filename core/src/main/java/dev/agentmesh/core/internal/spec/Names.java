package dev.agentmesh.core.internal.spec;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text helpers for located messages: clipping long values and suggesting near-miss names ({@code
 * did you mean}). One implementation for agent specs and trigger files.
 */
public final class Names {

  private Names() {}

  /**
   * At most {@code max} characters, with an ellipsis and the full length when cut.
   *
   * @param s the text
   * @param max the most characters kept
   * @return the text, clipped
   */
  public static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
  }

  /**
   * The candidate closest to {@code name} if it is a plausible typo, else {@code null}.
   *
   * @param name what was written
   * @param candidates what may be written
   * @return the closest candidate, or null when none is close
   */
  public static @Nullable String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(1, Math.min(3, name.length() / 3))
        ? best
        : null;
  }

  /**
   * {@code " (did you mean 'x'?)"} or the empty string.
   *
   * @param name what was written
   * @param candidates what may be written
   * @return the suggestion, with a leading space, or the empty string
   */
  public static String didYouMean(String name, Collection<String> candidates) {
    String c = closest(name, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /**
   * Optimal string alignment distance: Levenshtein plus adjacent transpositions.
   *
   * @param a one text
   * @param b the other
   * @return the number of edits from one to the other
   */
  public static int distance(String a, String b) {
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
