package dev.agentmesh.review;

import dev.agentmesh.review.spi.ImageDiffer;
import java.awt.image.BufferedImage;

/**
 * The default {@link ImageDiffer}: plain JDK imaging. A pixel counts as changed when any channel
 * (alpha included) differs by more than {@code threshold}; with anti-aliasing tolerance on, a
 * changed pixel is forgiven when each image has a matching pixel within one pixel of it (an edge
 * that moved by a sub-pixel). Pixels outside the smaller image count as changed. The difference
 * image shows the after image faded to grey with changed pixels in red.
 *
 * <pre>{@code
 * ImageDiffer differ = JdkImageDiffer.builder().threshold(24).antiAliasingTolerance(true).build();
 * }</pre>
 */
public final class JdkImageDiffer implements ImageDiffer {

  private final int threshold;
  private final boolean antiAliasing;

  private JdkImageDiffer(Builder b) {
    this.threshold = b.threshold;
    this.antiAliasing = b.antiAliasing;
  }

  /** {@return a builder starting from threshold 16 per channel, anti-aliasing tolerance on} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Result compare(byte[] before, byte[] after, ReviewLimits limits) {
    BufferedImage a = Png.decode("before", before, limits);
    BufferedImage b = Png.decode("after", after, limits);
    int width = Math.max(a.getWidth(), b.getWidth());
    int height = Math.max(a.getHeight(), b.getHeight());
    BufferedImage diff = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    long changed = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean inBoth =
            x < a.getWidth() && y < a.getHeight() && x < b.getWidth() && y < b.getHeight();
        boolean differs =
            !inBoth
                || (!near(a.getRGB(x, y), b.getRGB(x, y))
                    && !(antiAliasing
                        && hasNeighbour(a, x, y, b.getRGB(x, y))
                        && hasNeighbour(b, x, y, a.getRGB(x, y))));
        if (differs) {
          changed++;
          diff.setRGB(x, y, 0xFF0000);
        } else {
          diff.setRGB(x, y, faded(b.getRGB(x, y)));
        }
      }
    }
    return new Result(width, height, changed, Png.encode(diff));
  }

  private boolean near(int p, int q) {
    for (int shift = 0; shift < 32; shift += 8) {
      if (Math.abs(((p >>> shift) & 0xFF) - ((q >>> shift) & 0xFF)) > threshold) {
        return false;
      }
    }
    return true;
  }

  private boolean hasNeighbour(BufferedImage image, int x, int y, int pixel) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int nx = x + dx;
        int ny = y + dy;
        if ((dx != 0 || dy != 0)
            && nx >= 0
            && ny >= 0
            && nx < image.getWidth()
            && ny < image.getHeight()
            && near(image.getRGB(nx, ny), pixel)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int faded(int argb) {
    int grey = (((argb >> 16) & 0xFF) + ((argb >> 8) & 0xFF) + (argb & 0xFF)) / 3;
    int light = 255 - (255 - grey) / 4;
    return light << 16 | light << 8 | light;
  }

  /** Builds a {@link JdkImageDiffer}. */
  public static final class Builder {
    private int threshold = 16;
    private boolean antiAliasing = true;

    private Builder() {}

    /**
     * The largest per-channel difference (0 to 255) still counted as the same colour.
     *
     * @param threshold 0 to 255
     * @return this builder
     */
    public Builder threshold(int threshold) {
      if (threshold < 0 || threshold > 255) {
        throw new IllegalArgumentException(
            "threshold must be between 0 and 255 but was " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * Whether a pixel matched within one pixel in both images is forgiven as anti-aliasing.
     *
     * @param on whether to forgive anti-aliasing
     * @return this builder
     */
    public Builder antiAliasingTolerance(boolean on) {
      this.antiAliasing = on;
      return this;
    }

    /**
     * Builds the differ.
     *
     * @return the differ
     */
    public JdkImageDiffer build() {
      return new JdkImageDiffer(this);
    }
  }
}
