package dev.agentmesh.review.spi;

import dev.agentmesh.review.ReviewLimits;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link SurfaceRenderer} may use besides the artifact: the limits, the host's internal
 * e-mail domains (recipients elsewhere are flagged external) and the image comparison.
 *
 * <pre>{@code
 * RenderContext context = new RenderContext(ReviewLimits.defaults(), List.of("example.com"), differ);
 * }</pre>
 *
 * @param limits the size limits in force
 * @param internalDomains lowercase domains whose addresses (and subdomains') are internal, sorted
 * @param imageDiffer compares the images of a visual change
 */
public record RenderContext(
    ReviewLimits limits, List<String> internalDomains, ImageDiffer imageDiffer) {

  /**
   * Checks the components and sorts the domains, in lower case.
   *
   * @param limits the size limits in force
   * @param internalDomains lowercase domains whose addresses (and subdomains') are internal, sorted
   * @param imageDiffer compares the images of a visual change
   */
  public RenderContext {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(imageDiffer, "imageDiffer");
    internalDomains =
        internalDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).sorted().toList();
  }

  /**
   * Whether {@code domain} is one of the internal domains or a subdomain of one.
   *
   * @param domain a domain name
   * @return whether it is internal
   */
  public boolean isInternal(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return internalDomains.stream().anyMatch(i -> d.equals(i) || d.endsWith("." + i));
  }
}
