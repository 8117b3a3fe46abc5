package dev.agentmesh.review.spi;

import dev.agentmesh.review.Surface;

/**
 * Builds the verification surface of one artifact type: a {@link Surface}, summary first, that the
 * registry writes as text, Markdown and HTML. The renderer never writes markup itself, so a host's
 * type gets the same hostile-input guarantees as the built-in ones.
 *
 * <p>Threading: called from any thread, possibly concurrently. Must be deterministic: the same
 * artifact and context give an equal surface (no clock, no hash-map iteration order). Errors: a
 * renderer is only given artifacts its validator accepted; anything it throws is reported as a
 * {@link dev.agentmesh.review.ReviewException} naming the type.
 *
 * <pre>{@code
 * SurfaceRenderer<Ticket> renderer = (ticket, context) -> new Surface(
 *     "Ticket " + ticket.id(), List.of("1 field changed"), List.of());
 * }</pre>
 *
 * @param <T> the artifact class
 */
@FunctionalInterface
public interface SurfaceRenderer<T> {

  /**
   * Returns the surface of {@code artifact}.
   *
   * @param artifact the artifact
   * @param context the limits and options to render with
   * @return the surface
   */
  Surface render(T artifact, RenderContext context);
}
