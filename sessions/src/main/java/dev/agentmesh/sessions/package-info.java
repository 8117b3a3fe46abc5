/**
 * Session stores a host instantiates: {@link dev.agentmesh.sessions.InMemorySessionStore}, {@link
 * dev.agentmesh.sessions.SqliteSessionStore} (the embedded default), {@link
 * dev.agentmesh.sessions.PostgresSessionStore} (many nodes) and {@link
 * dev.agentmesh.sessions.CachingSessionStore} in front of any of them.
 */
@NullMarked
package dev.agentmesh.sessions;

import org.jspecify.annotations.NullMarked;
