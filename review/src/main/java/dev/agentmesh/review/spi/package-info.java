/**
 * What a host implements to add its own artifact type ({@link
 * dev.agentmesh.review.spi.ArtifactValidator}, {@link dev.agentmesh.review.spi.SurfaceRenderer}) or
 * its own image comparison ({@link dev.agentmesh.review.spi.ImageDiffer}).
 */
@NullMarked
package dev.agentmesh.review.spi;

import org.jspecify.annotations.NullMarked;
