package dev.agentmesh.review;

/**
 * What an agent proposes for a human to approve: an immutable, Jackson-serializable value. The
 * built-in types are {@link CodeDiff}, {@link Document}, {@link Table}, {@link VisualChange},
 * {@link OutboundMessage}, {@link RecordChange} and {@link Action}; a host adds its own by
 * implementing this interface with a record and registering an {@link ArtifactType}.
 *
 * <pre>{@code
 * record Ticket(String id, String status) implements ReviewArtifact {}
 * }</pre>
 */
public interface ReviewArtifact {}
