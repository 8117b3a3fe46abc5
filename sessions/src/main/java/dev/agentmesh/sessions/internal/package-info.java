/**
 * What the runtime and the SPI values share that users must not reach. Not exported: public only so
 * both packages can. No compatibility promise.
 */
@NullMarked
package dev.agentmesh.sessions.internal;

import org.jspecify.annotations.NullMarked;
