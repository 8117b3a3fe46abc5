package dev.agentmesh.core;

import java.util.Locale;

/**
 * How hard a model should think before answering. Each model adapter maps it to its provider:
 * {@code reasoning_effort} for OpenAI-compatible servers, a thinking budget for Anthropic.
 *
 * <pre>{@code
 * AgentSpec spec = AgentSpec.builder("triage").reasoning(ReasoningLevel.LOW)...build();
 * }</pre>
 */
public enum ReasoningLevel {
  /** No reasoning, or the least the model allows. */
  NONE,
  /** A little reasoning. */
  LOW,
  /** Moderate reasoning. */
  MEDIUM,
  /** As much reasoning as the model offers. */
  HIGH;

  /** {@return the spec-file spelling: {@code none}, {@code low}, {@code medium}, {@code high}} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
