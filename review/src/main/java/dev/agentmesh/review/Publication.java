package dev.agentmesh.review;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link PublishHandler} is asked to apply: one approved artifact, exactly the version whose
 * hash was approved, with the idempotency key of this approval. One exception: the fields of a
 * split record change that waited for people (see {@link AutoApproval.Fields}) come with the record
 * id and version that the write of the policy-approved fields returned ({@code id}, {@code
 * version}), so that write is not mistaken for a change made meanwhile.
 *
 * <pre>{@code
 * PublishHandler send = publication -> {
 *   OutboundMessage message = (OutboundMessage) publication.artifact();
 *   mail.send(message, publication.idempotencyKey()); // the mail API dedups by the key
 *   return null;
 * };
 * }</pre>
 *
 * @param reviewId the review's id
 * @param idempotencyKey {@code review:<original proposal>:<approved hash>}: the same for every
 *     attempt of this approval, also in a fork that copied the pending proposal, so a handler that
 *     dedups by it applies the artifact once
 * @param artifact the approved artifact (after an edit, the edited version; for the waiting part of
 *     a split record change, against the record and version the first write returned)
 * @param hash its content hash
 * @param provenance where it comes from
 * @param approvers who approved it (or {@code policy})
 */
public record Publication(
    String reviewId,
    String idempotencyKey,
    ReviewArtifact artifact,
    ContentHash hash,
    ArtifactProvenance provenance,
    List<String> approvers) {

  /**
   * Checks the components are present and copies the approvers.
   *
   * @param reviewId the review's id
   * @param idempotencyKey the key of this approval's effect
   * @param artifact the approved artifact
   * @param hash its content hash
   * @param provenance where it comes from
   * @param approvers who approved it
   */
  public Publication {
    Objects.requireNonNull(reviewId, "reviewId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(provenance, "provenance");
    approvers = List.copyOf(approvers);
  }

  /**
   * The idempotency key of the effect of approving {@code hash} of the proposal {@code key}.
   *
   * @param key the original proposal's id (a fork keeps its parent's)
   * @param hash the approved hash
   * @return {@code review:<key>:<hash hex>}
   */
  static String keyOf(String key, ContentHash hash) {
    return "review:" + key + ":" + hash.hex();
  }
}
