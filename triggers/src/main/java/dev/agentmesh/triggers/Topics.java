package dev.agentmesh.triggers;

import java.util.List;
import java.util.Objects;

/**
 * Topics and topic patterns, as RabbitMQ's topic exchanges have them: words separated by dots; in a
 * pattern {@code *} stands for exactly one word and {@code #} for zero or more words.
 */
final class Topics {

  private Topics() {}

  static String checkTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank() || topic.length() > Event.MAX_TOPIC_LENGTH || topic.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "A topic must be non-blank text of at most "
              + Event.MAX_TOPIC_LENGTH
              + " characters without U+0000, words separated by dots (signups.eu), but had "
              + topic.length()
              + " characters"
              + (topic.isBlank() ? " (blank)" : ""));
    }
    return topic;
  }

  static String checkPattern(String pattern) {
    checkTopic(pattern);
    for (String word : words(pattern)) {
      if (word.length() > 1 && (word.contains("*") || word.contains("#"))) {
        throw new IllegalArgumentException(
            "Topic pattern '"
                + pattern
                + "': expected '*' or '#' to stand alone as a word but found '"
                + word
                + "'. Fix: '*' matches exactly one word and '#' zero or more, as in 'signups.*'"
                + " or 'orders.#'");
      }
    }
    return pattern;
  }

  static boolean matches(String pattern, String topic) {
    return matches(words(pattern), 0, words(topic), 0);
  }

  private static boolean matches(List<String> pattern, int p, List<String> topic, int t) {
    if (p == pattern.size()) {
      return t == topic.size();
    }
    String word = pattern.get(p);
    if (word.equals("#")) {
      for (int skip = t; skip <= topic.size(); skip++) {
        if (matches(pattern, p + 1, topic, skip)) {
          return true;
        }
      }
      return false;
    }
    return t < topic.size()
        && (word.equals("*") || word.equals(topic.get(t)))
        && matches(pattern, p + 1, topic, t + 1);
  }

  private static List<String> words(String dotted) {
    return List.of(dotted.split("\\.", -1));
  }
}
