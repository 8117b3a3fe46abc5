package dev.agentmesh.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether an agent's output must be approved by a human before it takes effect, by whom, and for
 * how long a proposal stays open. Declared here, enforced by the {@code review} module.
 *
 * <pre>{@code
 * ReviewPolicy policy = new ReviewPolicy(true, List.of("support-leads"), 1, Duration.ofHours(24));
 * }</pre>
 *
 * @param required whether output needs approval
 * @param reviewers who may decide (user or group names the host resolves)
 * @param approvals how many approvals are needed, 1 to 10
 * @param expiry how long a proposal stays open, or {@code null} for no expiry
 */
public record ReviewPolicy(
    boolean required, List<String> reviewers, int approvals, @Nullable Duration expiry) {

  /** No review: output takes effect directly. */
  public static final ReviewPolicy NONE = new ReviewPolicy(false, List.of(), 1, null);

  /**
   * Copies {@code reviewers} and checks {@code approvals}.
   *
   * @param required whether output needs approval
   * @param reviewers who may decide (user or group names the host resolves)
   * @param approvals how many approvals are needed, 1 to 10
   * @param expiry how long a proposal stays open, or {@code null} for no expiry
   */
  public ReviewPolicy {
    reviewers = List.copyOf(Objects.requireNonNull(reviewers, "reviewers"));
    if (approvals < 1 || approvals > 10) {
      throw new IllegalArgumentException("approvals must be between 1 and 10 but was " + approvals);
    }
    if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
      throw new IllegalArgumentException(
          "expiry must be positive but was " + Durations.format(expiry));
    }
  }
}
