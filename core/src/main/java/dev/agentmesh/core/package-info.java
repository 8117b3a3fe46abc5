/**
 * Agents: declarative specs ({@link dev.agentmesh.core.AgentSpec}, loaded by {@link
 * dev.agentmesh.core.AgentSpecs}), the {@link dev.agentmesh.core.Mesh} that binds them to models,
 * tools and guardrails, and stateless execution through {@link dev.agentmesh.core.Agent}.
 */
@NullMarked
package dev.agentmesh.core;

import org.jspecify.annotations.NullMarked;
