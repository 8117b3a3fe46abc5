package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:timestamp:body}. Slack re-sends an
 * event with a new timestamp and the same body, so the delivery key is the body's hash.
 */
record SlackScheme(Clock clock, Duration tolerance) implements SignatureScheme {

  static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  static final String SIGNATURE = "X-Slack-Signature";

  @Override
  public String verify(WebhookRequest request, List<byte[]> keys) throws Refusal {
    String timestamp = Signatures.single(request, TIMESTAMP);
    String signature = Signatures.single(request, SIGNATURE);
    byte[] given = signature.startsWith("v0=") ? WebhookCrypto.hex32(signature.substring(3)) : null;
    if (given == null) {
      throw Signatures.malformed("header '" + SIGNATURE + "' is not v0=<64 hex digits>");
    }
    Signatures.timestamp(timestamp, TIMESTAMP, clock, tolerance);
    if (!Signatures.matches(
        keys, WebhookCrypto.slackBasestring(timestamp, request.rawBody()), List.of(given))) {
      throw Signatures.badSignature(SIGNATURE, keys.size());
    }
    return Signatures.deliveryKey("slack", request.rawBody());
  }

  @Override
  public Map<String, String> sign(byte[] key, String deliveryId, Instant now, byte[] body) {
    String timestamp = String.valueOf(now.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TIMESTAMP, timestamp);
    headers.put(SIGNATURE, WebhookCrypto.slackSignature(key, timestamp, body));
    return headers;
  }
}
