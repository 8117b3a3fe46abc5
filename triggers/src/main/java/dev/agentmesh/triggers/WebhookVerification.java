package dev.agentmesh.triggers;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link WebhookVerifier#verify}: verified, with a key to deduplicate deliveries, or
 * refused, with the reason. A reason names headers and sizes, never a secret or a signature.
 *
 * <pre>{@code
 * WebhookVerification result = verifier.verify(request);
 * if (!result.verified()) {
 *   return respond(401, result.reason());
 * }
 * if (!seen.add(result.deliveryKey())) {
 *   return respond(200, "duplicate");
 * }
 * }</pre>
 *
 * @param outcome what happened
 * @param reason a sentence for logs and the caller; {@code "verified"} when verified
 * @param deliveryKey a stable key made only from signed content, null unless verified
 * @param deliveryId the sender's id of the delivery where the scheme has one ({@code webhook-id},
 *     the HMAC scheme's delivery header), as sent; null otherwise and unless verified. Not always
 *     signed (GitHub's is not): record it, deduplicate on {@link #deliveryKey()}
 */
public record WebhookVerification(
    Outcome outcome, String reason, @Nullable String deliveryKey, @Nullable String deliveryId) {

  /** Why a webhook was refused, or that it was not. */
  public enum Outcome {
    /** Every check passed. */
    VERIFIED,
    /** A header the scheme needs is absent. */
    MISSING_HEADER,
    /** A header is present but unreadable: repeated, too long, not ASCII, not the format. */
    MALFORMED,
    /** The signed timestamp is further from the clock than the tolerance (either way). */
    EXPIRED,
    /** No signature matches any of the secrets. */
    BAD_SIGNATURE
  }

  /**
   * Checks the components: a delivery key goes with {@code VERIFIED} and only with it, a delivery
   * id only with it.
   *
   * @param outcome what happened
   * @param reason a sentence for logs and the caller; {@code "verified"} when verified
   * @param deliveryKey a stable key made only from signed content, null unless verified
   * @param deliveryId the sender's id of the delivery, or null
   */
  public WebhookVerification {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if ((outcome == Outcome.VERIFIED) != (deliveryKey != null)) {
      throw new IllegalArgumentException("a delivery key goes with VERIFIED and only with it");
    }
    if (deliveryId != null && deliveryKey == null) {
      throw new IllegalArgumentException("a delivery id goes with VERIFIED only");
    }
  }

  /**
   * Without a delivery id.
   *
   * @param outcome what happened
   * @param reason a sentence for logs and the caller; {@code "verified"} when verified
   * @param deliveryKey a stable key made only from signed content, null unless verified
   */
  public WebhookVerification(Outcome outcome, String reason, @Nullable String deliveryKey) {
    this(outcome, reason, deliveryKey, null);
  }

  static WebhookVerification verified(String deliveryKey, @Nullable String deliveryId) {
    return new WebhookVerification(Outcome.VERIFIED, "verified", deliveryKey, deliveryId);
  }

  static WebhookVerification refused(Outcome outcome, String reason) {
    return new WebhookVerification(outcome, reason, null, null);
  }

  /** {@return whether the webhook was verified} */
  public boolean verified() {
    return outcome == Outcome.VERIFIED;
  }
}
