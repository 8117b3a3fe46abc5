/**
 * The {@link dev.agentmesh.sessions.spi.SessionStore} SPI that storage plugins implement, and the
 * values it exchanges. Every implementation should pass
 * {@code dev.agentmesh.testing.SessionStoreCompatibilityKit}.
 */
@NullMarked
package dev.agentmesh.sessions.spi;

import org.jspecify.annotations.NullMarked;
