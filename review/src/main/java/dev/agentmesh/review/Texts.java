package dev.agentmesh.review;

/** Small text helpers for messages. */
final class Texts {

  private Texts() {}

  /** {@code text} cut to {@code max} characters with an ellipsis, controls made visible. */
  static String truncate(String text, int max) {
    String shown = Inert.line(text.length() > max ? text.substring(0, max) + "..." : text);
    return shown.length() > max + 40 ? shown.substring(0, max + 40) + "..." : shown;
  }

  static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
