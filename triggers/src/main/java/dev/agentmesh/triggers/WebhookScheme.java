package dev.agentmesh.triggers;

/**
 * The signature schemes {@link WebhookVerifier} checks. See docs/triggers.md for what each one
 * signs and how its delivery key is made.
 *
 * <pre>{@code
 * WebhookVerifier.builder(WebhookScheme.SLACK).secret(signingSecret).build();
 * }</pre>
 */
public enum WebhookScheme {

  /**
   * HMAC-SHA256 of the raw body, hex, in {@code X-Hub-Signature-256: sha256=<hex>} (GitHub and many
   * others; the header names can be changed). No timestamp, so no replay window.
   */
  HMAC_SHA256,

  /**
   * <a href="https://www.standardwebhooks.com">Standard Webhooks</a>: {@code webhook-id}, {@code
   * webhook-timestamp} and {@code webhook-signature: v1,<base64>} over {@code id.timestamp.body};
   * secrets are {@code whsec_<base64>}.
   */
  STANDARD_WEBHOOKS,

  /**
   * Slack: {@code X-Slack-Signature: v0=<hex>} over {@code v0:timestamp:body}, with {@code
   * X-Slack-Request-Timestamp}.
   */
  SLACK,

  /**
   * Stripe: {@code Stripe-Signature: t=<seconds>,v1=<hex>[,v1=...]} over {@code timestamp.body}.
   */
  STRIPE
}
