package dev.agentmesh.sessions;

/** Small text helpers for messages. */
final class Texts {

  private Texts() {}

  /** {@code text} cut to {@code max} characters, with an ellipsis when cut. */
  static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
