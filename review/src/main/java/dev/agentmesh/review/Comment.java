package dev.agentmesh.review;

import java.util.Objects;

/**
 * A finding on an artifact, anchored where it applies: the whole artifact, a line or range, a table
 * cell, a field, an image region. Reviewers attach comments to a change request; a reviewing agent
 * attaches them as its findings (never a decision).
 *
 * <pre>{@code
 * Comment c = new Comment(Anchor.lines("src/Auth.java", 40, 44), "the token is logged here");
 * c.anchor().validate(diff); // refused when the diff does not show those lines
 * }</pre>
 *
 * @param anchor where the finding applies
 * @param text the finding, at most {@value #MAX_TEXT_LENGTH} characters
 */
public record Comment(Anchor anchor, String text) {

  /** The most characters a comment's text may have. */
  public static final int MAX_TEXT_LENGTH = 10_000;

  /**
   * Checks the anchor and the text.
   *
   * @param anchor where the finding applies
   * @param text the finding, at most {@value #MAX_TEXT_LENGTH} characters
   * @throws IllegalArgumentException if the text is blank or too long
   */
  public Comment {
    Objects.requireNonNull(anchor, "anchor");
    checkText("a comment's text", text, MAX_TEXT_LENGTH);
  }

  /**
   * A comment on the whole artifact.
   *
   * @param text the finding
   * @return the comment
   */
  public static Comment general(String text) {
    return new Comment(Anchor.whole(), text);
  }

  static void checkText(String what, String text, int max) {
    Objects.requireNonNull(text, what);
    if (text.isBlank() || text.length() > max) {
      throw new IllegalArgumentException(
          what
              + " must be 1 to "
              + max
              + " characters, not blank, but was "
              + (text.isBlank() ? "blank" : text.length() + " characters"));
    }
  }
}
