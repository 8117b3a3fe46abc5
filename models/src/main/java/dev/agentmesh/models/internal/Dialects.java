package dev.agentmesh.models.internal;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The two providers' error formats and rate-limit headers. */
public final class Dialects {

  private Dialects() {}

  /** OpenAI and compatible servers: {@code {"error": {"message", "type", "code"}}}. */
  public static final ProviderDialect OPENAI =
      new ProviderDialect() {
        @Override
        public String label() {
          return "OpenAI-compatible server";
        }

        @Override
        public @Nullable String errorMessage(JsonNode body) {
          JsonNode error = body.path("error");
          String message =
              error.isString() ? error.stringValue() : Json.string(error.path("message"));
          return message != null ? message : Json.string(body.path("message"));
        }

        @Override
        public @Nullable String errorType(JsonNode body) {
          JsonNode error = body.path("error");
          String code = Json.string(error.path("code"));
          return code != null ? code : Json.string(error.path("type"));
        }

        @Override
        public @Nullable Duration resetHint(Headers headers, Instant now) {
          return RetryAfter.exhaustedReset(
              headers,
              now,
              true,
              "x-ratelimit-remaining-requests",
              "x-ratelimit-reset-requests",
              "x-ratelimit-remaining-tokens",
              "x-ratelimit-reset-tokens");
        }
      };

  /** Anthropic: {@code {"type": "error", "error": {"type", "message"}}}. */
  public static final ProviderDialect ANTHROPIC =
      new ProviderDialect() {
        @Override
        public String label() {
          return "Anthropic";
        }

        @Override
        public @Nullable String errorMessage(JsonNode body) {
          return Json.string(body.path("error").path("message"));
        }

        @Override
        public @Nullable String errorType(JsonNode body) {
          return Json.string(body.path("error").path("type"));
        }

        @Override
        public @Nullable Duration resetHint(Headers headers, Instant now) {
          return RetryAfter.exhaustedReset(
              headers,
              now,
              false,
              "anthropic-ratelimit-requests-remaining",
              "anthropic-ratelimit-requests-reset",
              "anthropic-ratelimit-tokens-remaining",
              "anthropic-ratelimit-tokens-reset",
              "anthropic-ratelimit-input-tokens-remaining",
              "anthropic-ratelimit-input-tokens-reset",
              "anthropic-ratelimit-output-tokens-remaining",
              "anthropic-ratelimit-output-tokens-reset");
        }
      };
}
