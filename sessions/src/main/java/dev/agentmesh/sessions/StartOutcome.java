package dev.agentmesh.sessions;

import org.jspecify.annotations.Nullable;

/**
 * What {@link Sessions#startAll} did with one {@link Sessions.NewSession}: started a new session,
 * or created nothing because a key it inserts (its idempotency key, or a row of {@link
 * Sessions.NewSession#rows}) was taken.
 *
 * <pre>{@code
 * for (StartOutcome o : sessions.startAll(starts)) {
 *   if (o.created()) {
 *     started.add(o.session().id());
 *   }
 * }
 * }</pre>
 *
 * @param session the new session; for a start that created nothing, the session holding the taken
 *     key when its row names one (an idempotency key always does), else null
 * @param created whether this start created its session
 */
public record StartOutcome(@Nullable Session session, boolean created) {}
