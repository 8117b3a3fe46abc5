/**
 * Test support for agentmesh and its users, on core alone: {@link
 * dev.agentmesh.testing.ScriptedModel}, {@link dev.agentmesh.testing.AgentTester}, {@link
 * dev.agentmesh.testing.FakeClock}, {@link dev.agentmesh.testing.ManualScheduler} and {@link
 * dev.agentmesh.testing.ChatModelCompatibilityKit}, which every {@code ChatModel} extends.
 */
@NullMarked
package dev.agentmesh.testing;

import org.jspecify.annotations.NullMarked;
