package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.Names;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Small text helpers for messages: clipping long values, suggesting near-miss names ({@link Names},
 * shared with the trigger loader).
 */
final class Text {

  private Text() {}

  /** At most {@code max} characters, with an ellipsis and the full length when cut. */
  static String clip(String s, int max) {
    return Names.clip(s, max);
  }

  /** The candidate closest to {@code name} if it is a plausible typo, else {@code null}. */
  static @Nullable String closest(String name, Collection<String> candidates) {
    return Names.closest(name, candidates);
  }

  /** The exception's message, or its simple class name when it has none. */
  static String message(Throwable e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }

  /** {@code " (did you mean 'x'?)"} or the empty string. */
  static String didYouMean(String name, Collection<String> candidates) {
    return Names.didYouMean(name, candidates);
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    return Names.distance(a, b);
  }
}
