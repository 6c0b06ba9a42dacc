package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryTest {
    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesEveryPictureTheIssueNames(@TempDir Path dir) {
        Gallery.main(new String[] {dir.toString()});
        for (String name : List.of("gabor-bank", "gabor-colour-bank", "sobel-astronaut", "chelsea-feature-maps",
                "relu-family", "maxpool-4x4-stride-1")) {
            assertTrue(Files.isRegularFile(dir.resolve(name + ".png")), name);
        }
    }

    @Test
    void picturesAreDeterministicAndLaidOutAsPlanned() {
        Map<String, BufferedImage> a = Gallery.pictures(), b = Gallery.pictures();
        for (String name : a.keySet()) {
            assertEquals(a.get(name).getWidth(), b.get(name).getWidth(), name);
            assertEquals(a.get(name).getRGB(a.get(name).getWidth() / 2, a.get(name).getHeight() / 2),
                    b.get(name).getRGB(b.get(name).getWidth() / 2, b.get(name).getHeight() / 2), name + " is seeded");
        }
        assertEquals(2 * 600, a.get("relu-family").getWidth(), "two charts to a row");
        assertEquals(2 * 400, a.get("relu-family").getHeight(), "four charts in two rows");
    }
}
