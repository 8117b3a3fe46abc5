package dev.agentmesh.review;

import java.util.Arrays;
import java.util.Objects;

/**
 * A change to something seen: a screenshot, a chart, a rendered page, as PNG images before and
 * after. Its surface gives the changed-pixel count and percentage (with an anti-aliasing
 * tolerance), the before and after images and a difference image. Images are checked against {@link
 * ReviewLimits} from their PNG header before any pixel is decoded.
 *
 * <pre>{@code
 * VisualChange change = new VisualChange("pricing page", beforePng, afterPng);
 * }</pre>
 *
 * @param label what the images show
 * @param before the PNG before the change
 * @param after the proposed PNG
 */
public record VisualChange(String label, byte[] before, byte[] after) implements ReviewArtifact {

  /**
   * Checks the label is there and copies the images.
   *
   * @param label what the images show
   * @param before the PNG before the change
   * @param after the proposed PNG
   */
  public VisualChange {
    Objects.requireNonNull(label, "label");
    before = before.clone();
    after = after.clone();
  }

  /** {@return a copy of the image before, as PNG bytes} */
  @Override
  public byte[] before() {
    return before.clone();
  }

  /** {@return a copy of the image after, as PNG bytes} */
  @Override
  public byte[] after() {
    return after.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VisualChange v
        && label.equals(v.label)
        && Arrays.equals(before, v.before)
        && Arrays.equals(after, v.after);
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, Arrays.hashCode(before), Arrays.hashCode(after));
  }

  @Override
  public String toString() {
    return "VisualChange["
        + label
        + ", before "
        + before.length
        + " bytes, after "
        + after.length
        + " bytes]";
  }
}
