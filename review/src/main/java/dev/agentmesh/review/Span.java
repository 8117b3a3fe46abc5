package dev.agentmesh.review;

import java.util.Objects;

/**
 * A run of text in a {@link Surface} with one style. Every format renders the text as inert text;
 * the style only decides how it is marked (an insertion, a deletion, a flag).
 *
 * <pre>{@code
 * List<Span> line = List.of(Span.plain("total: "), Span.deleted("10"), Span.inserted("12"));
 * }</pre>
 *
 * @param text the text, shown as it is (controls, markup and links are made inert by the writer)
 * @param style how the text is marked
 */
public record Span(String text, Style style) {

  /** How a span is marked in every format. */
  public enum Style {
    /** Unmarked text. */
    PLAIN,
    /** Text the change adds: {@code {+text+}}, {@code **text**}, {@code <ins>}. */
    INSERTED,
    /** Text the change removes: {@code [-text-]}, {@code ~~text~~}, {@code <del>}. */
    DELETED,
    /** Text a reviewer should look at twice (a placeholder, an external recipient, a link). */
    FLAGGED,
    /** Emphasised text (a name, a label). */
    STRONG
  }

  /**
   * Checks that the components are there.
   *
   * @param text the text, shown as it is (controls, markup and links are made inert by the writer)
   * @param style how the text is marked
   */
  public Span {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(style, "style");
  }

  /**
   * Unmarked text.
   *
   * @param text the text
   * @return the span
   */
  public static Span plain(String text) {
    return new Span(text, Style.PLAIN);
  }

  /**
   * Text the change adds.
   *
   * @param text the text
   * @return the span
   */
  public static Span inserted(String text) {
    return new Span(text, Style.INSERTED);
  }

  /**
   * Text the change removes.
   *
   * @param text the text
   * @return the span
   */
  public static Span deleted(String text) {
    return new Span(text, Style.DELETED);
  }

  /**
   * Text a reviewer should look at twice.
   *
   * @param text the text
   * @return the span
   */
  public static Span flagged(String text) {
    return new Span(text, Style.FLAGGED);
  }

  /**
   * Emphasized text.
   *
   * @param text the text
   * @return the span
   */
  public static Span strong(String text) {
    return new Span(text, Style.STRONG);
  }
}
