package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>...]} over {@code t.body}; other
 * schemes ({@code v0}) are ignored. Stripe re-sends an event with a new {@code t} and the same
 * body, so the delivery key is the body's hash.
 */
record StripeScheme(Clock clock, Duration tolerance) implements SignatureScheme {

  static final String HEADER = "Stripe-Signature";

  @Override
  public String verify(WebhookRequest request, List<byte[]> keys) throws Refusal {
    String timestamp = null;
    List<byte[]> given = new ArrayList<>();
    for (String item : Signatures.single(request, HEADER).split(",")) {
      if (item.startsWith("t=") && timestamp == null) {
        timestamp = item.substring(2);
      } else if (item.startsWith("v1=")) {
        given.add(hex32(item.substring(3)));
      }
    }
    if (timestamp == null || given.isEmpty()) {
      throw malformed();
    }
    Signatures.timestamp(timestamp, HEADER, clock, tolerance);
    if (!Signatures.matches(keys, WebhookCrypto.concat(timestamp, ".", request.rawBody()), given)) {
      throw Signatures.badSignature(HEADER, keys.size());
    }
    return Signatures.deliveryKey("stripe", request.rawBody());
  }

  private static byte[] hex32(String hex) throws Refusal {
    byte[] bytes = WebhookCrypto.hex32(hex);
    if (bytes == null) {
      throw malformed();
    }
    return bytes;
  }

  private static Refusal malformed() {
    return Signatures.malformed(
        "header '" + HEADER + "' is not t=<seconds>,v1=<64 hex digits>[,v1=...]");
  }

  @Override
  public Map<String, String> sign(byte[] key, String deliveryId, Instant now, byte[] body) {
    String timestamp = String.valueOf(now.getEpochSecond());
    byte[] mac = WebhookCrypto.hmacSha256(key, WebhookCrypto.concat(timestamp, ".", body));
    return Map.of(HEADER, "t=" + timestamp + ",v1=" + WebhookCrypto.hex(mac));
  }
}
