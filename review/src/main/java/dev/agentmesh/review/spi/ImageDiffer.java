package dev.agentmesh.review.spi;

import dev.agentmesh.review.ReviewLimits;
import java.util.Arrays;
import java.util.Objects;

/**
 * Compares two PNG images pixel by pixel. The default, {@link dev.agentmesh.review.JdkImageDiffer},
 * uses only the JDK's imaging; a host may plug a perceptual one.
 *
 * <p>Threading: called from any thread, possibly concurrently. Errors: an image that is not a PNG,
 * or declares more pixels than {@code limits} allow, is refused with a {@link
 * dev.agentmesh.review.ReviewException} before it is decoded.
 *
 * <pre>{@code
 * ImageDiffer.Result result = differ.compare(beforePng, afterPng, ReviewLimits.defaults());
 * result.changedPercent(); // 0.37
 * }</pre>
 */
@FunctionalInterface
public interface ImageDiffer {

  /**
   * Compares {@code before} with {@code after}, both PNG bytes.
   *
   * @param before the image before, as PNG bytes
   * @param after the image after, as PNG bytes
   * @param limits the size limits in force
   * @return the comparison
   */
  Result compare(byte[] before, byte[] after, ReviewLimits limits);

  /**
   * The outcome of a comparison.
   *
   * @param width the compared width (the larger of the two)
   * @param height the compared height (the larger of the two)
   * @param changedPixels pixels counted as changed (outside one image counts as changed)
   * @param diffPng a PNG of the compared area with changed pixels marked
   */
  record Result(int width, int height, long changedPixels, byte[] diffPng) {

    /**
     * Copies the diff image.
     *
     * @param width the compared width (the larger of the two)
     * @param height the compared height (the larger of the two)
     * @param changedPixels pixels counted as changed (outside one image counts as changed)
     * @param diffPng a PNG of the compared area with changed pixels marked
     */
    public Result {
      diffPng = diffPng.clone();
    }

    /** {@return every compared pixel} */
    public long totalPixels() {
      return (long) width * height;
    }

    /** {@return changed pixels as a percentage of all, 0 to 100} */
    public double changedPercent() {
      return totalPixels() == 0 ? 0 : 100.0 * changedPixels / totalPixels();
    }

    /** {@return a copy of the diff image, as PNG bytes} */
    @Override
    public byte[] diffPng() {
      return diffPng.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r
          && width == r.width
          && height == r.height
          && changedPixels == r.changedPixels
          && Arrays.equals(diffPng, r.diffPng);
    }

    @Override
    public int hashCode() {
      return Objects.hash(width, height, changedPixels, Arrays.hashCode(diffPng));
    }

    @Override
    public String toString() {
      return "Result[" + width + "x" + height + ", changed " + changedPixels + "]";
    }
  }
}
