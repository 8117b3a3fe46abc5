/**
 * Wire formats and the HTTP call with retries. Not exported: public only so the adapters in the API
 * package and the benchmarks can reach it. No compatibility promise.
 */
@NullMarked
package dev.agentmesh.models.internal;

import org.jspecify.annotations.NullMarked;
