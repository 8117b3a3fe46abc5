package dev.agentmesh.triggers;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a declared webhook trigger checks its deliveries: the signature scheme, the secrets by
 * reference (two or more during a rotation, the first signs) and the tolerance of timestamped
 * schemes. Turned into a {@link WebhookVerifier} when the trigger is bound, with the secrets read
 * then through a {@link SecretResolver}.
 *
 * <pre>{@code
 * Verification v = Verification.of(WebhookScheme.STANDARD_WEBHOOKS, SecretRef.parse("env:ZENDESK_SECRET"));
 * WebhookVerifier verifier = v.verifier(SecretResolver.environment(), clock);
 * }</pre>
 *
 * @param scheme the signature scheme
 * @param secrets where the secrets are, at least one, none twice
 * @param tolerance how far a signed timestamp may be from the clock (Slack, Stripe, Standard
 *     Webhooks)
 */
public record Verification(WebhookScheme scheme, List<SecretRef> secrets, Duration tolerance) {

  /** The tolerance when none is written: 5 minutes. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /**
   * Checks the parts.
   *
   * @param scheme the signature scheme
   * @param secrets where the secrets are, at least one, none twice
   * @param tolerance how far a signed timestamp may be from the clock
   */
  public Verification {
    Objects.requireNonNull(scheme, "scheme");
    secrets = List.copyOf(secrets);
    Objects.requireNonNull(tolerance, "tolerance");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException(
          "a verification needs at least one secret reference, such as env:WEBHOOK_SECRET");
    }
    if (secrets.stream().distinct().count() != secrets.size()) {
      throw new IllegalArgumentException(
          "a verification lists a secret reference twice: " + secrets);
    }
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("tolerance must be positive but was " + tolerance);
    }
  }

  /**
   * A verification with the default tolerance.
   *
   * @param scheme the signature scheme
   * @param secrets where the secrets are
   * @return the verification
   */
  public static Verification of(WebhookScheme scheme, SecretRef... secrets) {
    return new Verification(scheme, List.of(secrets), DEFAULT_TOLERANCE);
  }

  /**
   * The id of a scheme in trigger files: {@code hmac-sha256}, {@code standard-webhooks}, {@code
   * slack}, {@code stripe}.
   *
   * @param scheme the scheme
   * @return its id
   */
  public static String schemeId(WebhookScheme scheme) {
    return scheme.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The verifier, the secrets read now through {@code resolver}.
   *
   * @param resolver reads each secret
   * @param clock the clock timestamped schemes compare with
   * @return the verifier
   * @throws IllegalStateException naming the reference (never the secret) when the resolver does
   *     not have it
   */
  public WebhookVerifier verifier(SecretResolver resolver, Clock clock) {
    WebhookVerifier.Builder b = WebhookVerifier.builder(scheme).tolerance(tolerance).clock(clock);
    for (SecretRef ref : secrets) {
      String secret =
          resolver
              .resolve(ref)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "No secret found for "
                              + ref
                              + (ref.scheme().equals(SecretRef.ENV)
                                  ? ": set the environment variable " + ref.name()
                                  : ": give the trigger binder a SecretResolver that reads '"
                                      + ref.scheme()
                                      + ":' references")));
      b.secret(secret);
    }
    return b.build();
  }
}
