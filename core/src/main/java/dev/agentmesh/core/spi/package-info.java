/**
 * The model SPI: {@link dev.agentmesh.core.spi.ChatModel} and the values it exchanges. Implement it
 * to bind a provider the {@code agentmesh-models} module does not cover; verify the implementation
 * with {@code ChatModelCompatibilityKit} from {@code agentmesh-testing}.
 */
@NullMarked
package dev.agentmesh.core.spi;

import org.jspecify.annotations.NullMarked;
