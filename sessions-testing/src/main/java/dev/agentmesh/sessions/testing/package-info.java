/**
 * Test support for sessions users: {@link
 * dev.agentmesh.sessions.testing.SessionStoreCompatibilityKit}, the behaviour every {@code
 * SessionStore} implementation must show.
 */
@NullMarked
package dev.agentmesh.sessions.testing;

import org.jspecify.annotations.NullMarked;
