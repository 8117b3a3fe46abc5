/**
 * Internal: the default executors of the agent loop and of the session runtime. Not API: exported
 * only to {@code dev.agentmesh.sessions}, and free to change in any release.
 */
@NullMarked
package dev.agentmesh.core.internal.concurrent;

import org.jspecify.annotations.NullMarked;
