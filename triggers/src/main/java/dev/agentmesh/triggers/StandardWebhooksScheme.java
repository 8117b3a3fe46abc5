package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks: {@code v1,<base64>} entries, space-separated, over {@code id.timestamp.body}.
 * The delivery key is the signed {@code webhook-id}, which stays the same when a message is re-sent
 * (its timestamp does not).
 */
record StandardWebhooksScheme(Clock clock, Duration tolerance) implements SignatureScheme {

  static final String ID = "webhook-id";
  static final String TIMESTAMP = "webhook-timestamp";
  static final String SIGNATURE = "webhook-signature";

  @Override
  public String verify(WebhookRequest request, List<byte[]> keys) throws Refusal {
    String id = Signatures.single(request, ID);
    String timestamp = Signatures.single(request, TIMESTAMP);
    List<byte[]> given = signatures(Signatures.single(request, SIGNATURE));
    Signatures.timestamp(timestamp, TIMESTAMP, clock, tolerance);
    byte[] content = WebhookCrypto.standardWebhooksContent(id, timestamp, request.rawBody());
    if (!Signatures.matches(keys, content, given)) {
      throw Signatures.badSignature(SIGNATURE, keys.size());
    }
    return Signatures.deliveryKey("standard-webhooks", id);
  }

  @Override
  public String deliveryId(WebhookRequest request) throws Refusal {
    return Signatures.single(request, ID);
  }

  private static List<byte[]> signatures(String header) throws Refusal {
    List<byte[]> found = new ArrayList<>();
    for (String entry : header.split(" ")) {
      if (entry.startsWith("v1,")) {
        found.add(decode(entry.substring(3)));
      }
    }
    if (found.isEmpty()) {
      throw Signatures.malformed("header '" + SIGNATURE + "' holds no v1,<base64> signature");
    }
    return found;
  }

  private static byte[] decode(String base64) throws Refusal {
    byte[] bytes = WebhookCrypto.fromBase64(base64);
    if (bytes == null) {
      throw Signatures.malformed(
          "header '" + SIGNATURE + "' holds a v1 signature that is not base64");
    }
    return bytes;
  }

  @Override
  public Map<String, String> sign(byte[] key, String deliveryId, Instant now, byte[] body) {
    String timestamp = String.valueOf(now.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID, deliveryId);
    headers.put(TIMESTAMP, timestamp);
    headers.put(
        SIGNATURE, WebhookCrypto.standardWebhooksSignature(key, deliveryId, timestamp, body));
    return headers;
  }
}
