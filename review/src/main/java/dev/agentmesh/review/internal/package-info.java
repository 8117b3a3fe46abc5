/** Helpers for the precompiled templates; not exported. */
@NullMarked
package dev.agentmesh.review.internal;

import org.jspecify.annotations.NullMarked;
