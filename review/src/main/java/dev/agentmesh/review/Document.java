package dev.agentmesh.review;

import java.util.Objects;

/**
 * A change to a prose document (Markdown or plain text). Its surface shows the word-count delta and
 * the Markdown sections that changed, a word-level redline (insertions and deletions inline), then
 * the clean "after" and the "before"; in HTML a Markdown "after" is also shown rendered.
 *
 * <pre>{@code
 * Document doc = new Document("Release notes", Document.Format.MARKDOWN, oldNotes, newNotes);
 * }</pre>
 *
 * @param title the document's name
 * @param format how the text is written
 * @param before the text before the change (empty for a new document)
 * @param after the proposed text
 */
public record Document(String title, Format format, String before, String after)
    implements ReviewArtifact {

  /** How a document's text is written. */
  public enum Format {
    /** Markdown. */
    MARKDOWN,
    /** Plain text. */
    TEXT
  }

  /**
   * Checks that the components are there.
   *
   * @param title the document's name
   * @param format how the text is written
   * @param before the text before the change (empty for a new document)
   * @param after the proposed text
   */
  public Document {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}
