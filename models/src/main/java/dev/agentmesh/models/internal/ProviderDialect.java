package dev.agentmesh.models.internal;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What differs between providers when reading a failed response. */
public interface ProviderDialect {

  /** How messages name the provider, such as {@code Anthropic}. */
  String label();

  /** The provider's error message in an error body, or {@code null}. */
  @Nullable String errorMessage(JsonNode body);

  /** The provider's error type or code, such as {@code insufficient_quota}, or {@code null}. */
  @Nullable String errorType(JsonNode body);

  /** How long the provider's rate-limit reset headers say to wait, or {@code null}. */
  @Nullable Duration resetHint(Headers headers, Instant now);
}
