package dev.agentmesh.sessions;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The root of a payload {@link PayloadTrees} has just written from an event: every container in it
 * is new, no one else holds it, and the runtime never changes it, so the in-memory store keeps it
 * as it is. Any other payload (a caller's own tree) is copied there, since its caller may change it
 * after appending it. Equal to an {@link ObjectNode} of the same properties, and written the same;
 * its properties, and those of the objects {@link PayloadTrees} writes in it, are kept in a {@link
 * SmallProperties} rather than a hash map (but for a copied JSON object of more than 16
 * properties).
 *
 * <pre>{@code
 * JsonNode kept = payload instanceof WrittenTree ? payload : payload.deepCopy();
 * }</pre>
 */
final class WrittenTree extends ObjectNode {

  private static final long serialVersionUID = 1L;

  /** A tree of {@code properties}, which it keeps (and changes when it is changed). */
  WrittenTree(SmallProperties properties) {
    super(JsonNodeFactory.instance, properties);
  }
}
