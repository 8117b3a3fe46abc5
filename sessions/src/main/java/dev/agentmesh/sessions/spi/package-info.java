/**
 * The {@link dev.agentmesh.sessions.spi.SessionStore} SPI that storage plugins implement, and the
 * values it exchanges. Every implementation should pass {@code
 * dev.agentmesh.sessions.testing.SessionStoreCompatibilityKit} (agentmesh-sessions-testing).
 */
@NullMarked
package dev.agentmesh.sessions.spi;

import org.jspecify.annotations.NullMarked;
