package dev.agentmesh.core.spi;

/**
 * Why the model stopped producing output.
 *
 * <pre>{@code
 * if (response.stopReason() == StopReason.MAX_TOKENS) { ... }
 * }</pre>
 */
public enum StopReason {
  /** The model finished its answer. */
  END_TURN,
  /** The model asks for one or more tools to be run. */
  TOOL_CALLS,
  /** The output was cut at the token limit. */
  MAX_TOKENS,
  /** The model declined to answer. */
  REFUSAL,
  /** A provider's content filter stopped the output. */
  CONTENT_FILTER,
  /** Any other reason the provider gave. */
  OTHER
}
