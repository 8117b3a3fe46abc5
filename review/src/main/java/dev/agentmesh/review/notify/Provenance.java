package dev.agentmesh.review.notify;

import dev.agentmesh.review.ContentHash;
import org.jspecify.annotations.Nullable;

/**
 * Where a notification comes from: ids only, never content or secrets. Every field may be absent (a
 * session failure has no artifact; an agent's daily list has no content hash).
 *
 * <pre>{@code
 * Provenance from = new Provenance("art-7", types.contentHash(diff), "sess-3", "release-notes", "high");
 * }</pre>
 *
 * @param artifactId the artifact under review
 * @param contentHash the hash of exactly what is to be approved
 * @param sessionId the session that produced it
 * @param agent the producing agent's name
 * @param risk the risk tier the host assigned (digests group by it)
 */
public record Provenance(
    @Nullable String artifactId,
    @Nullable ContentHash contentHash,
    @Nullable String sessionId,
    @Nullable String agent,
    @Nullable String risk) {

  /** No provenance at all. */
  public static final Provenance NONE = new Provenance(null, null, null, null, null);
}
