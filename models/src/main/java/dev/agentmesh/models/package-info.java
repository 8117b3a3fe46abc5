/**
 * Model adapters: {@link dev.agentmesh.models.OpenAiChatModel} for every server that speaks the
 * OpenAI Chat Completions API (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, OpenRouter, Groq,
 * Together) and {@link dev.agentmesh.models.AnthropicChatModel} for the Anthropic Messages API,
 * with their shared settings: {@link dev.agentmesh.models.RetryPolicy} and {@link
 * dev.agentmesh.models.PriceTable}.
 */
@NullMarked
package dev.agentmesh.models;

import org.jspecify.annotations.NullMarked;
