/**
 * Internal: the one home of a turn's conversation rules, shared by the agent loop in {@code
 * dev.agentmesh.core} and the session runtime in {@code dev.agentmesh.sessions}. The {@link
 * dev.agentmesh.core.internal.turn.Transcript} decides which tool calls are still owed a result and
 * which of those must not be repeated; {@link dev.agentmesh.core.internal.turn.StopRun} is how a
 * listener stops a run. Not API: exported only to {@code dev.agentmesh.sessions}, and free to
 * change in any release.
 */
@NullMarked
package dev.agentmesh.core.internal.turn;

import org.jspecify.annotations.NullMarked;
