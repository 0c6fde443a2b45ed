package io.sparkprop.nn;

/**
 * Where each layer's parameters sit in the one flat parameter array, computed once per network: for
 * l = 1 … L, the weights W^l as an n_l × n_{l−1} column-major matrix, then the biases b^l (n_l
 * entries). This is the layout of Spark MLlib's MLP weight vector. Each {@link Layer} is a view
 * (offsets, no copy); the index arithmetic on the flat array lives here and nowhere else.
 */
public final class ParameterLayout {

  /**
   * One layer's place in the flat array.
   *
   * @param rows n_l, the layer's neurons
   * @param cols n_{l−1}, its inputs
   * @param weightOffset where W^l starts
   * @param biasOffset where b^l starts, right after W^l
   */
  public record Layer(int rows, int cols, int weightOffset, int biasOffset) {

    /** n_l × n_{l−1}. */
    public int weightCount() {
      return rows * cols;
    }

    /**
     * The flat index of W^l[row][col], the weight from input {@code col} into neuron {@code row}.
     */
    public int weightIndex(int row, int col) {
      return weightOffset + col * rows + row;
    }

    /** The flat index where column {@code col} of W^l starts: the n_l weights out of input col. */
    public int columnOffset(int col) {
      return weightOffset + col * rows;
    }
  }

  private final Layer[] layers;
  private final int size;

  /** The layout of a network with layer sizes n_0 … n_L; the spec has checked them. */
  ParameterLayout(int[] layerSizes) {
    layers = new Layer[layerSizes.length];
    int offset = 0;
    for (int l = 1; l < layerSizes.length; l++) {
      int rows = layerSizes[l];
      int cols = layerSizes[l - 1];
      layers[l] = new Layer(rows, cols, offset, offset + rows * cols);
      offset += rows * cols + rows;
    }
    size = offset;
  }

  /** Layer l = 1 … L. */
  public Layer layer(int l) {
    return layers[l];
  }

  /** L, the number of layers with parameters. */
  public int numLayers() {
    return layers.length - 1;
  }

  /** The length of the flat parameter array. */
  public int size() {
    return size;
  }

  /** Where each layer's W^l starts, for l = 1 … L in order. */
  public int[] weightOffsets() {
    int[] offsets = new int[numLayers()];
    for (int l = 1; l <= numLayers(); l++) {
      offsets[l - 1] = layers[l].weightOffset();
    }
    return offsets;
  }

  /** How many entries each layer's W^l has, for l = 1 … L in order. */
  public int[] weightCounts() {
    int[] counts = new int[numLayers()];
    for (int l = 1; l <= numLayers(); l++) {
      counts[l - 1] = layers[l].weightCount();
    }
    return counts;
  }
}
