package dev.agentmesh.review.spi;

import dev.agentmesh.review.ReviewLimits;
import java.util.List;

/**
 * Checks one artifact against its type's rules and returns every problem found, each a sentence
 * that says what was expected, what was found and where ({@code "after row 3 has no value for key
 * column 'sku'"}). An empty list means valid.
 *
 * <p>Threading: called from any thread, possibly concurrently; must not keep state between calls.
 * Errors: return problems rather than throwing; anything thrown is reported by {@link
 * dev.agentmesh.review.ArtifactTypes#validate} as a {@link dev.agentmesh.review.ReviewException}
 * naming the type.
 *
 * <pre>{@code
 * ArtifactValidator<Ticket> validator = (ticket, limits) ->
 *     ticket.id().isBlank() ? List.of("id must not be blank") : List.of();
 * }</pre>
 *
 * @param <T> the artifact class
 */
@FunctionalInterface
public interface ArtifactValidator<T> {

  /**
   * Returns the problems of {@code artifact}, empty when it is valid.
   *
   * @param artifact the artifact
   * @param limits the size limits in force
   * @return the problems, one sentence each
   */
  List<String> problems(T artifact, ReviewLimits limits);

  /**
   * {@return a validator that accepts every artifact}
   *
   * @param <T> the artifact class
   */
  static <T> ArtifactValidator<T> none() {
    return (artifact, limits) -> List.of();
  }
}
