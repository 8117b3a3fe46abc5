package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.spi.ImageDiffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class VisualChangeTest {

  @Test
  void countsChangedPixelsAndDrawsThemRedInTheDifferenceImage() throws IOException {
    ImageDiffer differ = JdkImageDiffer.builder().antiAliasingTolerance(false).build();
    ImageDiffer.Result r =
        differ.compare(Samples.png(8, 6, 0, 0), Samples.png(8, 6, 2, 3), ReviewLimits.defaults());
    assertThat(r.changedPixels()).isEqualTo(4);
    assertThat(r.totalPixels()).isEqualTo(48);
    assertThat(r.changedPercent()).isCloseTo(8.333, org.assertj.core.data.Offset.offset(0.001));
    var diff = ImageIO.read(new ByteArrayInputStream(r.diffPng()));
    assertThat(diff.getRGB(3, 1) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(diff.getRGB(0, 0) & 0xFFFFFF).isNotEqualTo(0xFF0000);
  }

  @Test
  void antiAliasingToleranceForgivesAnEdgeMovedByOnePixel() {
    byte[] before = Samples.png(10, 10, 4, 2);
    byte[] after = Samples.png(10, 10, 4, 3);
    long strict =
        JdkImageDiffer.builder()
            .antiAliasingTolerance(false)
            .build()
            .compare(before, after, ReviewLimits.defaults())
            .changedPixels();
    long tolerant =
        JdkImageDiffer.builder()
            .build()
            .compare(before, after, ReviewLimits.defaults())
            .changedPixels();
    assertThat(strict).isEqualTo(8);
    assertThat(tolerant).isZero();
  }

  @Test
  void pixelsOutsideTheSmallerImageCountAsChanged() {
    ImageDiffer.Result r =
        JdkImageDiffer.builder()
            .build()
            .compare(Samples.png(4, 4, 0, 0), Samples.png(6, 4, 0, 0), ReviewLimits.defaults());
    assertThat(r.changedPixels()).isEqualTo(8);
    assertThat(
            ArtifactTypes.standard()
                .render(
                    new VisualChange("x", Samples.png(4, 4, 0, 0), Samples.png(6, 4, 0, 0)),
                    SurfaceFormat.TEXT))
        .contains(
            "WARNING: the images differ in size; pixels outside the smaller one count as changed");
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeaderBeforeDecoding() {
    byte[] bomb = pngHeader(100_000, 100_000);
    VisualChange change = new VisualChange("bomb", Samples.png(4, 4, 1, 0), bomb);
    assertThat(bomb.length).isLessThan(100);
    assertThatThrownBy(() -> ArtifactTypes.standard().render(change, SurfaceFormat.HTML))
        .isInstanceOf(ArtifactValidationException.class)
        .hasMessage(
            "Invalid 'visual-change' artifact: after image declares 100000x100000 pixels but at most"
                + " 8192 a side and 16000000 in all are allowed (ReviewLimits.maxImageSide, maxImagePixels);"
                + " it was not decoded");
    assertThatThrownBy(
            () -> JdkImageDiffer.builder().build().compare(bomb, bomb, ReviewLimits.defaults()))
        .isInstanceOf(ReviewException.class)
        .hasMessageStartingWith("before image declares 100000x100000 pixels");
  }

  @Test
  void theLimitsAreConfigurable() {
    ArtifactTypes strict =
        ArtifactTypes.builder()
            .limits(ReviewLimits.builder().maxImagePixels(20).maxImageBytes(1000).build())
            .build();
    assertThatThrownBy(
            () ->
                strict.validate(
                    new VisualChange("x", Samples.png(4, 4, 1, 0), Samples.png(5, 5, 1, 0))))
        .hasMessage(
            "Invalid 'visual-change' artifact: after image declares 5x5 pixels but at most 8192 a side"
                + " and 20 in all are allowed (ReviewLimits.maxImageSide, maxImagePixels); it was not decoded");
    assertThatThrownBy(
            () -> strict.validate(new VisualChange("x", new byte[2000], Samples.png(4, 4, 1, 0))))
        .hasMessage(
            "Invalid 'visual-change' artifact: before image is 2000 bytes but at most 1000 are allowed"
                + " (ReviewLimits.maxImageBytes)");
  }

  @Test
  void somethingThatIsNotAPngIsRefused() {
    assertThatThrownBy(
            () ->
                ArtifactTypes.standard()
                    .validate(
                        new VisualChange(
                            "x",
                            "GIF89a............................".getBytes(),
                            Samples.png(4, 4, 1, 0))))
        .hasMessage(
            "Invalid 'visual-change' artifact: before image is not a PNG (expected the PNG signature"
                + " and an IHDR chunk)");
  }

  /** A PNG signature, an IHDR declaring {@code width x height}, an empty IDAT and IEND. */
  static byte[] pngHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        b,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    chunk(b, "IDAT", new byte[0]);
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(type.getBytes());
    crc.update(data);
    b.putInt(data.length).put(type.getBytes()).put(data).putInt((int) crc.getValue());
  }
}
