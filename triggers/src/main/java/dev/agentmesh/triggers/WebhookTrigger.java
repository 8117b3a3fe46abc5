package dev.agentmesh.triggers;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A webhook that starts a session: its name (recorded as the session's {@code Origin.webhook(name,
 * deliveryId)}), the path it is received at, the agent it starts, the {@link WebhookVerifier} its
 * requests must pass, how its JSON body maps to the agent's input, and the largest body it reads. A
 * value: {@link WebhookHandler} serves several, routed by path.
 *
 * <pre>{@code
 * WebhookTrigger issues = WebhookTrigger.builder("github-issues")
 *     .path("/webhooks/github")                  // default: /webhooks/<name>
 *     .agent("triage")
 *     .verifier(WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret(secret).build())
 *     .input(InputMapping.fields(Map.of("title", "/issue/title")))  // default: whole()
 *     .maxBodyBytes(256 * 1024)                  // default: 1 MiB
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code toString()} shows no secret.
 */
public final class WebhookTrigger {

  /** The largest body a trigger reads unless told otherwise: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  private final String name;
  private final String path;
  private final String agent;
  private final WebhookVerifier verifier;
  private final InputMapping input;
  private final int maxBodyBytes;

  private WebhookTrigger(Builder b, String agent, WebhookVerifier verifier) {
    this.name = b.name;
    this.path = b.path != null ? b.path : "/webhooks/" + b.name;
    this.agent = agent;
    this.verifier = verifier;
    this.input = b.input;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /**
   * A builder for the webhook called {@code name}.
   *
   * @param name letters, digits, {@code .}, {@code _} and {@code -}, at most 100, starting with a
   *     letter or digit; it scopes the webhook's delivery keys and names it in sessions' origins
   * @return a new builder
   * @throws IllegalArgumentException if the name is not of that form
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@return the webhook's name} */
  public String name() {
    return name;
  }

  /** {@return the path it is received at, such as {@code /webhooks/github-issues}} */
  public String path() {
    return path;
  }

  /** {@return the agent its sessions run} */
  public String agent() {
    return agent;
  }

  /** {@return the verifier its requests must pass} */
  public WebhookVerifier verifier() {
    return verifier;
  }

  /** {@return how its JSON body maps to the agent's input} */
  public InputMapping input() {
    return input;
  }

  /** {@return the largest body it reads, in bytes; a longer one is refused with 413} */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public String toString() {
    return "WebhookTrigger{"
        + name
        + " at "
        + path
        + " -> "
        + agent
        + ", "
        + verifier
        + ", "
        + input
        + ", max "
        + maxBodyBytes
        + " bytes}";
  }

  /** Collects a webhook's settings; {@link #build()} may be called again. */
  public static final class Builder {
    private final String name;
    private @Nullable String path;
    private @Nullable String agent;
    private @Nullable WebhookVerifier verifier;
    private InputMapping input = InputMapping.whole();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a webhook's name is 1 to 100 letters, digits, '.', '_' or '-', starting with a"
                + " letter or digit, but was '"
                + InputMappingException.shown(name, 60)
                + "'");
      }
      this.name = name;
    }

    /**
     * The path the webhook is received at; {@code /webhooks/<name>} by default. Matched exactly (no
     * trailing slash, no query).
     *
     * @param path {@code /} and segments of letters, digits, {@code .}, {@code _}, {@code ~} and
     *     {@code -}
     * @return this builder
     * @throws IllegalArgumentException if the path is not of that form
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!PATH.matcher(path).matches() || path.matches(".*/\\.{1,2}(/.*)?")) {
        throw new IllegalArgumentException(
            "webhook '"
                + name
                + "': path must be '/' and segments of letters, digits, '.', '_', '~' or '-'"
                + " (no '.' or '..' segment, no trailing '/'), such as '/webhooks/"
                + name
                + "', but was '"
                + InputMappingException.shown(path, 60)
                + "'");
      }
      this.path = path;
      return this;
    }

    /**
     * The agent whose session each accepted delivery starts.
     *
     * @param agent the agent's name in the mesh
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * The verifier every request must pass (its scheme, secrets, tolerance and clock).
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder verifier(WebhookVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * How the JSON body becomes the agent's input; {@link InputMapping#whole()} by default.
     *
     * @param input the mapping
     * @return this builder
     */
    public Builder input(InputMapping input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /**
     * The largest body read, in bytes; 1 MiB by default. A request that says it is longer is
     * refused before its body is read, one that turns out longer once this much is read.
     *
     * @param bytes from 1 to 64 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1 || bytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "webhook '" + name + "': maxBodyBytes must be from 1 to 67108864 but was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Builds the webhook; agent and verifier must be set.
     *
     * @return the webhook
     * @throws IllegalStateException if agent or verifier is missing
     */
    public WebhookTrigger build() {
      if (agent == null) {
        throw new IllegalStateException(
            "webhook '" + name + "' has no agent: call agent(\"...\") with the agent it starts");
      }
      if (verifier == null) {
        throw new IllegalStateException(
            "webhook '"
                + name
                + "' has no verifier: call verifier(WebhookVerifier.builder(scheme)"
                + ".secret(...).build()); unsigned webhooks are not served");
      }
      return new WebhookTrigger(this, agent, verifier);
    }
  }
}
