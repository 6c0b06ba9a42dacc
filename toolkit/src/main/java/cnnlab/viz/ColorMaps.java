package cnnlab.viz;

/** Colour maps. The diverging one runs blue (negative), white (zero), red (positive), as ColorBrewer's RdBu. */
public final class ColorMaps {
    /**
     * The colour of a NaN value in every picture of the toolkit (Images, KernelGrid, FeatureMaps): magenta, which
     * neither the grey ramp nor the blue-white-red map uses, so a NaN never passes for a minimum or a zero.
     */
    public static final int NAN = 0xff00ff;

    private static final int[] BLUE = {33, 102, 172};
    private static final int[] WHITE = {247, 247, 247};
    private static final int[] RED = {178, 24, 43};

    private ColorMaps() {
    }

    /**
     * The RGB of {@code t} in [-1, 1] (clipped; NaN is {@link #NAN}): -1 blue, 0 white, +1 red, symmetric, so equal
     * magnitudes get equally strong colours.
     */
    public static int diverging(double t) {
        if (Double.isNaN(t)) {
            return NAN;
        }
        t = Math.max(-1, Math.min(1, t));
        int[] end = t < 0 ? BLUE : RED;
        double a = Math.abs(t);
        int r = (int) Math.round(WHITE[0] + (end[0] - WHITE[0]) * a);
        int g = (int) Math.round(WHITE[1] + (end[1] - WHITE[1]) * a);
        int b = (int) Math.round(WHITE[2] + (end[2] - WHITE[2]) * a);
        return r << 16 | g << 8 | b;
    }
}
