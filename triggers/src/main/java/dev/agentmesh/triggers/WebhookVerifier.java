package dev.agentmesh.triggers;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the signature of a received webhook under one {@link WebhookScheme}, against one or more
 * secrets (two during a rotation: either verifies). Pure: no HTTP server, no I/O; the tolerance of
 * timestamped schemes reads the injected {@link Clock}. Signatures are compared in constant time
 * ({@link java.security.MessageDigest#isEqual}).
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
 *     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")   // the current secret
 *     .secret("whsec_ZXhhbXBsZSBvbGQgc2VjcmV0IGtleQ==")   // the previous one, until rotated out
 *     .tolerance(Duration.ofMinutes(5))
 *     .clock(clock)
 *     .build();
 * WebhookVerification result = verifier.verify(WebhookRequest.of(headers, rawBody));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #verify} never throws for anything a sender can put in a
 * request: headers repeated, over 8192 characters or outside printable ASCII are refused as {@link
 * WebhookVerification.Outcome#MALFORMED}. {@code toString()} shows no secret.
 */
public final class WebhookVerifier {

  private final WebhookScheme scheme;
  private final List<byte[]> keys;
  private final SignatureScheme check;
  private final Clock clock;

  private WebhookVerifier(Builder builder) {
    this.scheme = builder.scheme;
    this.keys = List.copyOf(builder.keys);
    this.clock = builder.clock;
    this.check =
        switch (scheme) {
          case HMAC_SHA256 ->
              new HubSignatureScheme(builder.signatureHeader, builder.deliveryHeader);
          case STANDARD_WEBHOOKS -> new StandardWebhooksScheme(clock, builder.tolerance);
          case SLACK -> new SlackScheme(clock, builder.tolerance);
          case STRIPE -> new StripeScheme(clock, builder.tolerance);
        };
  }

  /**
   * A builder for this scheme.
   *
   * @param scheme the signing scheme
   * @return a new builder
   */
  public static Builder builder(WebhookScheme scheme) {
    return new Builder(scheme);
  }

  /** {@return the signing scheme} */
  public WebhookScheme scheme() {
    return scheme;
  }

  /**
   * Verified with a delivery key, or refused with the reason.
   *
   * @param request the request as received
   * @return the outcome
   */
  public WebhookVerification verify(WebhookRequest request) {
    try {
      String key = check.verify(request, keys);
      return WebhookVerification.verified(key, check.deliveryId(request));
    } catch (Refusal refusal) {
      return refusal.verification();
    }
  }

  /**
   * The headers a sender sets to sign {@code body} with the first secret at the clock's instant
   * ({@code deliveryId} is sent where the scheme has an id header). For tests and for sending.
   *
   * @param deliveryId the delivery's id
   * @param body the body to sign
   * @return header names to values
   */
  public Map<String, String> sign(String deliveryId, byte[] body) {
    return check.sign(keys.get(0), deliveryId, clock.instant(), body);
  }

  @Override
  public String toString() {
    return "WebhookVerifier{" + scheme + ", " + keys.size() + " secret(s)}";
  }

  /** Collects the scheme's settings; {@link #build()} may be called again. */
  public static final class Builder {
    private final WebhookScheme scheme;
    private final List<byte[]> keys = new ArrayList<>();
    private Duration tolerance = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private String signatureHeader = "X-Hub-Signature-256";
    private String deliveryHeader = "X-GitHub-Delivery";

    private Builder(WebhookScheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
    }

    /**
     * Adds a secret; the first one signs. For {@link WebhookScheme#STANDARD_WEBHOOKS} it is {@code
     * whsec_<base64>} (the prefix may be left out); for the others its UTF-8 bytes.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret");
      return secret(
          scheme == WebhookScheme.STANDARD_WEBHOOKS
              ? decode(secret)
              : secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a secret as raw key bytes.
     *
     * @param key the key bytes
     * @return this builder
     */
    public Builder secret(byte[] key) {
      if (key.length == 0) {
        throw new IllegalArgumentException("secret " + (keys.size() + 1) + " must not be empty");
      }
      keys.add(key.clone());
      return this;
    }

    /**
     * How far a signed timestamp may be from the clock, either way; 5 minutes by default.
     *
     * @param tolerance the tolerance
     * @return this builder
     */
    public Builder tolerance(Duration tolerance) {
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("tolerance must not be negative but was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /**
     * Sets the clock timestamps are checked against.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * For {@link WebhookScheme#HMAC_SHA256}: the signature header; {@code X-Hub-Signature-256} by
     * default.
     *
     * @param name the header's name
     * @return this builder
     */
    public Builder signatureHeader(String name) {
      this.signatureHeader = requireHeaderName(name, "signatureHeader");
      return this;
    }

    /**
     * For {@link WebhookScheme#HMAC_SHA256}: the delivery id header; {@code X-GitHub-Delivery} by
     * default.
     *
     * @param name the header's name
     * @return this builder
     */
    public Builder deliveryHeader(String name) {
      this.deliveryHeader = requireHeaderName(name, "deliveryHeader");
      return this;
    }

    /**
     * Builds the verifier; at least one secret must be set.
     *
     * @return the verifier
     */
    public WebhookVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("no secret: call secret(...) at least once");
      }
      return new WebhookVerifier(this);
    }

    private byte[] decode(String secret) {
      byte[] key = WebhookCrypto.whsecKey(secret);
      if (key == null) {
        throw new IllegalArgumentException(
            "secret "
                + (keys.size() + 1)
                + " is not whsec_<base64>"
                + " (its value is not shown). Fix: copy the secret exactly as the sender shows it");
      }
      return key;
    }

    private static String requireHeaderName(String name, String setting) {
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException(
            setting + " must be an HTTP header name but was '" + name + "'");
      }
      return name;
    }
  }
}
