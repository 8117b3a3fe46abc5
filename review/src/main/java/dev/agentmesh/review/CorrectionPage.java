package dev.agentmesh.review;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of an agent's corrections, newest first ({@link Corrections#query}).
 *
 * <pre>{@code
 * CorrectionPage page = corrections.query(CorrectionQuery.builder("reply").build());
 * List<String> lines = page.corrections().stream().map(c -> c.reviewer() + ": " + c.reason()).toList();
 * }</pre>
 *
 * @param corrections the corrections, newest first
 * @param next the cursor of the next page ({@link CorrectionQuery.Builder#after}), or null when
 *     this is the last
 */
public record CorrectionPage(List<Correction> corrections, @Nullable String next) {

  /**
   * Copies the list.
   *
   * @param corrections the corrections
   * @param next the next page's cursor, or null
   */
  public CorrectionPage {
    corrections = List.copyOf(corrections);
  }
}
