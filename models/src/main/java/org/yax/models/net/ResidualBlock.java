package org.yax.models.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** x + conv(relu(conv(x))): same channels in and out, 3x3 kernels. */
final class ResidualBlock extends AbstractBlock {
    private final Block first;
    private final Block second;

    ResidualBlock(int channels) {
        super((byte) 1);
        first = addChildBlock("conv1", MultiTaskNet.conv(channels, 1));
        second = addChildBlock("conv2", MultiTaskNet.conv(channels, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Activation.relu(first.forward(ps, new NDList(x), training).singletonOrThrow());
        return new NDList(x.add(second.forward(ps, new NDList(h), training).singletonOrThrow()));
    }

    /** Scales the branch's last convolution (see {@link MultiTaskNet#dampenResidualBranches}). */
    void dampen(float factor) {
        second.getParameters().values().forEach(p -> MultiTaskNet.scaleInPlace(p.getArray(), factor));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes);
        second.initialize(manager, dataType, inputShapes);
    }
}
