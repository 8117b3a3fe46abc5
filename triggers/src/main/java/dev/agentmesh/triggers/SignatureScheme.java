package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One scheme's check and signature; made by {@link WebhookVerifier.Builder}. */
interface SignatureScheme {

  /** The delivery key of a verified request, or a {@link Refusal} saying why not. */
  String verify(WebhookRequest request, List<byte[]> keys) throws Refusal;

  /**
   * The sender's id of a request {@link #verify} accepted, where the scheme has an id header; the
   * header was read by {@code verify} already, so this does not refuse.
   */
  default @Nullable String deliveryId(WebhookRequest request) throws Refusal {
    return null;
  }

  /** The headers a sender sets to sign {@code body} with {@code key} at {@code now}. */
  Map<String, String> sign(byte[] key, String deliveryId, Instant now, byte[] body);
}
