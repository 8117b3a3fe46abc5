package dev.agentmesh.review;

import java.util.List;
import java.util.Objects;

/**
 * A verification surface: what a reviewer must see to decide on an artifact, summary first, as a
 * small format-neutral document that {@link ArtifactTypes#render} writes as plain text, Markdown or
 * HTML. A host's own artifact type builds one of these in its {@link
 * dev.agentmesh.review.spi.SurfaceRenderer}; the writers make every piece of text inert.
 *
 * <pre>{@code
 * Surface surface = new Surface("Ticket PRJ-7: close",
 *     List.of("1 field changed"),
 *     List.of(new Block.Fields(List.of(Block.Field.of("status", Span.deleted("open"), Span.inserted("closed"))))));
 * }</pre>
 *
 * @param title one line naming the artifact
 * @param summary counts and severity, one short line each, shown before the detail
 * @param blocks the detail, in order
 */
public record Surface(String title, List<String> summary, List<Block> blocks) {

  /**
   * Checks the title is there and copies the lists.
   *
   * @param title one line naming the artifact
   * @param summary counts and severity, one short line each, shown before the detail
   * @param blocks the detail, in order
   */
  public Surface {
    Objects.requireNonNull(title, "title");
    summary = List.copyOf(summary);
    blocks = List.copyOf(blocks);
  }
}
