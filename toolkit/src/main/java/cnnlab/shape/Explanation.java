package cnnlab.shape;

/**
 * The worked output-size arithmetic for one axis, as the lecture writes it.
 *
 * @param text        the formula with the numbers filled in, plus a note when the division is not exact
 * @param output      the output size
 * @param unvisited   how many real input rows (or columns) no window reaches
 */
public record Explanation(String text, int output, int unvisited) {
    @Override
    public String toString() {
        return text;
    }
}
