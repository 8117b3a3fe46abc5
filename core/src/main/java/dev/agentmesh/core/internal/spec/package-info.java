/**
 * Internal: the located YAML/JSON reading behind agent specs ({@code AgentSpecs}) and trigger files
 * ({@code dev.agentmesh.triggers.TriggerSpecs}): a parse tree that remembers {@code file:line:col},
 * syntax errors in our words, file discovery and {@code did you mean} suggestions. Not API:
 * exported only to {@code dev.agentmesh.triggers} and {@code dev.agentmesh.cli}, and free to change
 * in any release.
 */
@NullMarked
package dev.agentmesh.core.internal.spec;

import org.jspecify.annotations.NullMarked;
