package dev.agentmesh.sessions;

import java.util.Optional;

/**
 * Text added to the system prompt of a session's agent run: corrections reviewers wrote, a
 * workspace's conventions. Asked before a turn of an agent starts; the text is recorded in the log
 * ({@code session.context}) and added, delimited, after the agent's rendered instructions for that
 * turn, so a run continued after a crash, on any node, sees the same text, not a recomputed one.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .context((state, agent) -> agent.equals("drafter")
 *         ? Optional.of("Reviewers asked: always cite the invoice number.")
 *         : Optional.empty())
 *     .build();
 * }</pre>
 *
 * <h2>Threading and errors</h2>
 *
 * Called on the driving thread before the turn's run starts, at most once per turn (a turn's
 * recorded text is reused by every later run of it); it must be quick and must only compute. An
 * exception it throws fails the turn like a failing run ({@code session.failed}); nothing was
 * recorded. Several contexts ({@link Sessions.Builder#context}) concatenate in registration order,
 * each in its own delimited block; empty and blank answers add nothing. The text goes to the model
 * as instructions: never put secrets or untrusted content in it unmarked.
 */
@FunctionalInterface
public interface TurnContext {

  /**
   * The text to add for this turn of {@code agent}.
   *
   * @param state the session's state before the turn starts
   * @param agent the agent about to run
   * @return the text; empty (or blank) to add nothing
   */
  Optional<String> context(SessionState state, String agent);
}
