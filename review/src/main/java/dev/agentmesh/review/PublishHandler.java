package dev.agentmesh.review;

import org.jspecify.annotations.Nullable;

/**
 * The effect of an approved artifact of one type: send the message, apply the record change, merge
 * the diff. Registered with {@code Reviews.builder().publisher(type, handler)}.
 *
 * <pre>{@code
 * PublishHandler crm = publication -> {
 *   RecordChange change = (RecordChange) publication.artifact();
 *   boolean applied = contacts.updateIf(change.recordId(), change.versionRead(), fieldsOf(change));
 *   if (!applied) {
 *     throw PublishRefusedException.recordChanged(change, contacts.version(change.recordId()));
 *   }
 *   return Map.of("version", contacts.version(change.recordId()));
 * };
 * }</pre>
 *
 * <h2>Once</h2>
 *
 * The runtime records {@code review.effect-started} before calling the handler and {@code
 * review.effect-applied} (with what it returned) or {@code review.effect-failed} (with what it
 * threw) after, and never calls it again for the same approval: <b>at most once</b>. If the process
 * dies between the two, the runtime cannot know whether the effect happened: when {@link
 * #honoursIdempotencyKey()} is false (the default) it records {@code review.effect-unknown} and a
 * person checks; when true it calls the handler again with the same {@link
 * Publication#idempotencyKey()}, and a handler that applies each key once makes the effect
 * <b>exactly once</b>.
 *
 * <h2>Contract</h2>
 *
 * Called on the thread that recorded the approval (the deciding caller, or the effect sweep after a
 * crash), at most once at a time per approval, after the approval is durable. A {@link
 * dev.agentmesh.review.notify.Notifier}-like slowness budget does not apply: the caller waits for
 * it. A {@code RecordChange} handler must apply conditionally on {@link RecordChange#versionRead()}
 * and throw {@link PublishRefusedException#recordChanged} when the record moved on, never overwrite
 * it. It returns the record's new version as {@code version} (and its id as {@code id} when the
 * write created it), as a map or a record with those properties: when policy approved some fields
 * of a change ({@link AutoApproval.Fields}), they are written first, and the rest, once people
 * approve it, is applied against that version, so only a change made by someone else in between
 * refuses it. A handler that returns no version has the rest refused as changed.
 */
@FunctionalInterface
public interface PublishHandler {

  /**
   * Applies the approved artifact.
   *
   * @param publication the approved artifact and this approval's idempotency key
   * @return what to record with {@code review.effect-applied} (a record, a map, a JsonNode, text),
   *     or null
   * @throws PublishRefusedException when the target refuses it (a changed record); recorded as a
   *     failed effect, not retried
   */
  @Nullable Object publish(Publication publication);

  /**
   * Whether this handler applies each {@link Publication#idempotencyKey()} at most once itself (the
   * target dedups by it), so calling it again after a crash is safe: the effect is then exactly
   * once.
   *
   * @return true if calling again with the same key is safe; false (the default) for at most once
   */
  default boolean honoursIdempotencyKey() {
    return false;
  }

  /**
   * A handler that says it honours the idempotency key: {@code delegate} must dedup by it.
   *
   * @param delegate applies each key once
   * @return the handler, with {@link #honoursIdempotencyKey()} true
   */
  static PublishHandler idempotent(PublishHandler delegate) {
    return new PublishHandler() {
      @Override
      public @Nullable Object publish(Publication publication) {
        return delegate.publish(publication);
      }

      @Override
      public boolean honoursIdempotencyKey() {
        return true;
      }
    };
  }
}
