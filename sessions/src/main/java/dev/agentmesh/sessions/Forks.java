package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import org.jspecify.annotations.Nullable;

/** What a fork carries over from its parent's log after the fork point. */
final class Forks {

  private Forks() {}

  /** The tool call whose outcome {@code event} records, or null when it records none. */
  static @Nullable String resultCallId(SessionEvent event) {
    if (event instanceof SessionEvent.OutcomeResolved) {
      return ((SessionEvent.OutcomeResolved) event).callId();
    }
    if (event instanceof SessionEvent.AgentStep) {
      AgentEvent step = ((SessionEvent.AgentStep) event).event();
      if (step instanceof AgentEvent.ToolReturned) {
        return ((AgentEvent.ToolReturned) step).callId();
      }
      if (step instanceof AgentEvent.ToolFailed) {
        return ((AgentEvent.ToolFailed) step).callId();
      }
    }
    return null;
  }
}
