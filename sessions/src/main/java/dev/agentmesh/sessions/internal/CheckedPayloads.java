package dev.agentmesh.sessions.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A payload tree the runtime wrote and checked for U+0000 while writing it, handed to the {@link
 * dev.agentmesh.sessions.spi.NewEvent} made next on the same thread, so that it does not walk the
 * tree again. A payload made anywhere else is walked as always.
 *
 * <pre>{@code
 * CheckedPayloads.vouch(tree); // tree: just written, every string checked
 * return new NewEvent(type, version, tree, at);
 * }</pre>
 */
public final class CheckedPayloads {

  private static final ThreadLocal<@Nullable JsonNode> NEXT = new ThreadLocal<>();

  private CheckedPayloads() {}

  /**
   * Vouches that {@code payload}, which the caller has just written and checked, holds no U+0000:
   * for the next {@code NewEvent} made on this thread, and only if it is made with this very tree.
   *
   * @param payload the tree, not yet shared with anyone
   */
  public static void vouch(JsonNode payload) {
    NEXT.set(payload);
  }

  /**
   * Whether {@code payload} is the tree vouched for last on this thread; the vouch is used up
   * either way.
   *
   * @param payload a new event's payload
   * @return true when it needs no walk for U+0000
   */
  public static boolean take(JsonNode payload) {
    JsonNode vouched = NEXT.get();
    if (vouched == null) {
      return false;
    }
    NEXT.set(null);
    return vouched == payload;
  }
}
