/**
 * The {@code agentmesh} command line: {@code validate} and {@code graph}. See {@link
 * dev.agentmesh.cli.Main}.
 */
@NullMarked
package dev.agentmesh.cli;

import org.jspecify.annotations.NullMarked;
