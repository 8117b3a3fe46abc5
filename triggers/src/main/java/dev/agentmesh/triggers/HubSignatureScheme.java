package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code X-Hub-Signature-256: sha256=<hex>} over the raw body. The delivery header is not signed,
 * so the delivery key hashes it together with the body, which is.
 */
record HubSignatureScheme(String signatureHeader, String deliveryHeader)
    implements SignatureScheme {

  private static final String PREFIX = "sha256=";

  @Override
  public String verify(WebhookRequest request, List<byte[]> keys) throws Refusal {
    String signature = Signatures.single(request, signatureHeader);
    String delivery = Signatures.optional(request, deliveryHeader);
    byte[] given =
        signature.startsWith(PREFIX)
            ? WebhookCrypto.hex32(signature.substring(PREFIX.length()))
            : null;
    if (given == null) {
      throw Signatures.malformed("header '" + signatureHeader + "' is not sha256=<64 hex digits>");
    }
    if (!Signatures.matches(keys, request.rawBody(), List.of(given))) {
      throw Signatures.badSignature(signatureHeader, keys.size());
    }
    return Signatures.deliveryKey(
        "hmac-sha256", delivery == null ? "" : delivery, "\n", request.rawBody());
  }

  @Override
  public @Nullable String deliveryId(WebhookRequest request) throws Refusal {
    return Signatures.optional(request, deliveryHeader);
  }

  @Override
  public Map<String, String> sign(byte[] key, String deliveryId, Instant now, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(signatureHeader, PREFIX + WebhookCrypto.hex(WebhookCrypto.hmacSha256(key, body)));
    headers.put(deliveryHeader, deliveryId);
    return headers;
  }
}
