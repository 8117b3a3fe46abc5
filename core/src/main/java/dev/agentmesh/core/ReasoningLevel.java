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
  NONE,
  LOW,
  MEDIUM,
  HIGH;

  /** The spec-file spelling: {@code none}, {@code low}, {@code medium}, {@code high}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
