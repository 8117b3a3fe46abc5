package dev.agentmesh.review.notify;

import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.ReviewArtifact;
import dev.agentmesh.review.SurfaceFormat;
import java.util.Objects;

/**
 * An artifact's verification surface written in all three formats, as the review module renders it:
 * e-mail takes the text and HTML, Slack the Markdown, a webhook all three.
 *
 * <pre>{@code
 * RenderedSurfaces surfaces = RenderedSurfaces.of(ArtifactTypes.standard(), diff);
 * }</pre>
 *
 * @param text plain text ({@link SurfaceFormat#TEXT})
 * @param markdown Markdown with mrkdwn specials escaped ({@link SurfaceFormat#MARKDOWN})
 * @param html an escaped HTML fragment ({@link SurfaceFormat#HTML})
 */
public record RenderedSurfaces(String text, String markdown, String html) {

  /**
   * Checks that the components are there.
   *
   * @param text plain text ({@link SurfaceFormat#TEXT})
   * @param markdown Markdown with mrkdwn specials escaped ({@link SurfaceFormat#MARKDOWN})
   * @param html an escaped HTML fragment ({@link SurfaceFormat#HTML})
   */
  public RenderedSurfaces {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(markdown, "markdown");
    Objects.requireNonNull(html, "html");
  }

  /**
   * Renders {@code artifact} through {@code types} in every format.
   *
   * @param types the registry that renders
   * @param artifact the artifact
   * @return the surfaces
   */
  public static RenderedSurfaces of(ArtifactTypes types, ReviewArtifact artifact) {
    return new RenderedSurfaces(
        types.render(artifact, SurfaceFormat.TEXT),
        types.render(artifact, SurfaceFormat.MARKDOWN),
        types.render(artifact, SurfaceFormat.HTML));
  }
}
