package dev.agentmesh.triggers;

/** Thrown inside a scheme check and turned into a refused {@link WebhookVerification}. */
final class Refusal extends Exception {

  private static final long serialVersionUID = 1L;

  private final WebhookVerification.Outcome outcome;
  private final String reason;

  Refusal(WebhookVerification.Outcome outcome, String reason) {
    super(reason, null, false, false);
    this.outcome = outcome;
    this.reason = reason;
  }

  WebhookVerification verification() {
    return WebhookVerification.refused(outcome, reason);
  }
}
