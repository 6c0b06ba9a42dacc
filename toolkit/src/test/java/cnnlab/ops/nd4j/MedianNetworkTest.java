package cnnlab.ops.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fixed min/max networks behind the fast engine's median pooling of 4 and 9 cells pick the sorted window's
 * middle values. A comparator network sorts (or selects) every input right if it does so for every input of
 * zeros and ones (Knuth's 0-1 principle), so the first two tests try all 2^4 and 2^9 of those; the others compare
 * bits with {@code Arrays.sort} on ties, -0 and infinities.
 */
class MedianNetworkTest {

    private static float[] bits(int pattern, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (pattern >> i) & 1;
        }
        return w;
    }

    private static float sortedMiddle(float[] w) {
        float[] s = w.clone();
        Arrays.sort(s);
        int n = s.length;   // the middle one, or the two middle ones' mean rounded once (MAX_VALUE twice is no inf)
        return n % 2 == 1 ? s[n / 2] : (float) (((double) s[n / 2 - 1] + s[n / 2]) / 2);
    }

    @Test
    void everyZeroOneInputOf4() {
        for (int pattern = 0; pattern < 1 << 4; pattern++) {
            float[] w = bits(pattern, 4);
            assertEquals(sortedMiddle(w), PlaneLoops.middleOf4(w), Arrays.toString(w));
        }
    }

    @Test
    void everyZeroOneInputOf9() {
        for (int pattern = 0; pattern < 1 << 9; pattern++) {
            float[] w = bits(pattern, 9);
            assertEquals(sortedMiddle(w), PlaneLoops.middleOf9(w), Arrays.toString(w));
        }
    }

    @Test
    void theSameBitsAsTheSortOnTiesSignedZerosAndInfinities() {
        float[] values = {-0f, 0f, 1f, -1f, 2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE};
        Random r = new Random(7);
        for (int trial = 0; trial < 20_000; trial++) {
            float[] four = new float[4], nine = new float[9];
            for (int i = 0; i < 9; i++) {
                nine[i] = values[r.nextInt(values.length)];
            }
            System.arraycopy(nine, 0, four, 0, 4);
            assertEquals(Float.floatToRawIntBits(sortedMiddle(four)),
                    Float.floatToRawIntBits(PlaneLoops.middleOf4(four)), Arrays.toString(four));
            assertEquals(Float.floatToRawIntBits(sortedMiddle(nine)),
                    Float.floatToRawIntBits(PlaneLoops.middleOf9(nine)), Arrays.toString(nine));
        }
    }
}
